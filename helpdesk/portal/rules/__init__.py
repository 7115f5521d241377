"""Every rule of the portal: who may do what, lockout and verification, grants, access codes,
masking, unlocks, user-code recoveries, notices, audit and idempotency.

Routes parse a request, hand it to a function here through a :class:`~.calls.Call`, and shape the
answer; they decide nothing themselves.
"""
