"""The weekly reporter: the owner's Thursday cash report."""
