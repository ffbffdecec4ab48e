"""budgetbook core: the 12 部门预算公开表 declared once, read, filled, checked and exported."""
