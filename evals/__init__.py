"""khazna.evals"""
