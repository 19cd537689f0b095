"""The demo company: a seeded generator of realistic books (``khazna demo``)."""
