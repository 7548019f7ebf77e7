"""Demo and scale data: a realistic demo county (`seed_demo`) and synthetic provinces (`seed_scale`).

Everything here is deterministic: a fixed random seed and fixed dates, so that
two runs on two machines produce the same rows.
"""
