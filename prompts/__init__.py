"""khazna.prompts"""
