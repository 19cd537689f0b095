"""khazna.memory"""
