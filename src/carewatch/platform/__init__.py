"""The shared platform both services stand on: accounts, notifications, tasks, web shell."""
