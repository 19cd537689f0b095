"""khazna.tools"""
