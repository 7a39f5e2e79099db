// RPTPlanner: per-cycle activity planning against organ limits.
