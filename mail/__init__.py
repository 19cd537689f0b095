"""khazna.mail"""
