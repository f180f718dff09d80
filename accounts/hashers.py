"""Argon2id for staff passwords (the hasher Django's documentation recommends), sized for these servers: well
under 300 ms of one login's server time on two cores, far more costly per guess for an attacker than PBKDF2's rounds
(memory-hard). Hashes made by an older hasher (PBKDF2) are upgraded at the user's next successful login
(Django re-hashes when the first hasher in PASSWORD_HASHERS differs or its parameters changed)."""
from django.contrib.auth.hashers import Argon2PasswordHasher


class JiuzhuArgon2PasswordHasher(Argon2PasswordHasher):
    # Above OWASP's argon2id minimum (19 MiB, 2 passes): 32 MiB, 2 passes, 2 lanes (the two cores). Measured on
    # these servers at about a third of PBKDF2's 1,000,000 rounds (the previous default) under the same load.
    time_cost = 2
    memory_cost = 32768
    parallelism = 2
