"""khazna.web"""
