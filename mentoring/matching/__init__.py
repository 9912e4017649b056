"""The matching engine: who should mentor whom, and why.

Plain Python on plain data, so it is fast to test and reason about:
`scoring` turns two profiles into a score and its Russian explanation,
`rules` says which pairs may not be formed at all, `solver` picks the
assignment, `engine` ties them together for one run. Only `loader` (reading
the organization's people) and the services touch the database.
"""
