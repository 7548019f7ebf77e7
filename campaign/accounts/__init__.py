"""Logins and accounts: password policy, first-login password change, login throttling, locks.

Not an app of its own: the user model lives in ``campaign``; this package holds the pieces
around signing in (README, "Logins and passwords").
"""
