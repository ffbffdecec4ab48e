# Two set-up commands for a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BB := $(VENV)/bin/budgetbook
OUT ?= out

.PHONY: demo test test-fast bench clean addin

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	mkdir -p $(OUT)
	$(BB) example $(OUT)/example.xlsx --force
	$(BB) fill $(OUT)/example.xlsx -o $(OUT)/filled.xlsx --force --quiet
	# the reference disclosure has genuine errors: check exits 1 and the demo goes on
	$(BB) check $(OUT)/filled.xlsx --mark $(OUT)/checked.xlsx --force > $(OUT)/check.txt || test $$? -eq 1
	cat $(OUT)/check.txt
	$(BB) check $(OUT)/filled.xlsx --format json > $(OUT)/check.json || test $$? -eq 1
	# export anyway (--force), with the PDF when LibreOffice is installed, and the e-mail draft
	$(BB) export $(OUT)/filled.xlsx --out $(OUT)/export --pdf --eml --force --overwrite
	# the 情况说明 from the tables and the 基本情况 sheet; then the reference's own narrative checked
	$(BB) narrative $(OUT)/filled.xlsx -o $(OUT)/情况说明.docx --force || test $$? -eq 1
	$(BB) narrative-check tests/fixtures/reference_narrative.txt $(OUT)/filled.xlsx > $(OUT)/narrative-check.txt || test $$? -eq 1
	# the Excel ribbon add-in, built from addin/ and the installed xlwings
	$(PY) -m addin.build
	@echo "检查页面和 WPS 加载项：运行 $(BB) serve 后在浏览器中打开 http://127.0.0.1:8765/（WPS：budgetbook addin install --wps，见 docs/wps.md）"

# dist/预算公开助手.xlam (same sources and xlwings version give the same bytes)
addin: $(VENV)/.installed
	$(PY) -m addin.build

test: $(VENV)/.installed
	$(PY) -m pytest -q -n auto

# the inner loop: everything but LibreOffice, the browser and the Dask cluster
test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -n auto -m "not slow"

bench: $(VENV)/.installed
	$(PY) bench/run.py
	$(PY) bench/excel_calls.py
	$(PY) bench/page.py

clean:
	rm -rf $(OUT) .pytest_cache
