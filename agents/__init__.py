"""khazna.agents"""
