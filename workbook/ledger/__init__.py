"""The budget system's detail export (明细, the ledger) turned into the 12 tables.

columns.py names the columns and their spellings, read.py reads .xlsx/.xls/.csv files into one
frame, validate.py says what is wrong with a ledger (findings naming file, row and column),
figures.py aggregates the lines into every figure of the tables, rounding.py rounds 元 to 万元 so
that every sum holds, content.py makes the template's Content; workbook.jobs.build runs them.
"""
