"""The argon2id cost the tests hash at: the smallest argon2 allows, so a sign-in or a verification
costs microseconds instead of 40 ms a hash. Production's cost is pinned by its own test
(tests/portal/test_hash_cost.py)."""

from helpdesk.portal.security import HashCost
from helpdesk.portal.settings import Policy

CHEAP = HashCost(memory_cost=8, time_cost=1, parallelism=1)
CHEAP_POLICY = Policy(hash_cost=CHEAP)
