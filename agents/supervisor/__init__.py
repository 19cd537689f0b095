"""The supervisor: dispatches the weekly cycle and routes free requests to a specialist."""
