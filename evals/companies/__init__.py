"""Generated companies with habits the demo lacks, and the forecast backtest on them (issue 12)."""
