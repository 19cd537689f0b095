"""khazna.demo"""
