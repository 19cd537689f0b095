"""The dunning writer: selects what to remind, writes the reminders, queues them for approval."""
