"""The 部门预算公开情况说明 (narrative): written from the tables, and checked when written by hand.

One idea per module:
- `info`: what the 基本情况 sheet holds (fields, the Info read from it);
- `sheet`: writing that sheet into the template and reading it back;
- `reference`: the bundled example's 基本情况 (from the reference disclosure);
- `facts`: every figure the narrative states, from a read Book (and last year's);
- `compose`: the text, paragraph by paragraph, with 【请填写：…】 where an input is missing;
- `word`: the text as a Word document (python-docx), government-document layout;
- `extract`: the text of a .docx, .txt or text-layer .pdf;
- `claims`: the figures a text states, tied to what they claim;
- `rules`: the N.* rules; `job`: the entry points the command line, the add-in and a web service call
  (data in, data out); `publish`: the .docx and .pdf files, for `narrative` and `export --narrative`.
"""
