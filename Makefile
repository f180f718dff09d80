# jiuzhu — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install migrate serve worker bench browser-test clean-run

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py ensure_dev_keys
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_periodic_tasks

# Migrate, load demo data, then `jiuzhu.devrun`: a Celery worker and Celery beat as two background processes
# (each in its own session; filesystem broker under .run/broker unless REDIS_URL is set; logs .run/worker.log,
# .run/beat.log) and the site on http://$(HOST):$(PORT). Ctrl-C stops all three within about 10 seconds.
run: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v 0
	@mkdir -p .run
	@echo ""
	@echo "  焦作市社会救助业务系统: http://$(HOST):$(PORT)/   (密码 jiuzhu-demo-2026)"
	@echo "  演示账号:"
	@$(PY) manage.py shell -v 0 -c "from demo.users import DEMO_USERS; \
		[print(f'    {u:<18} {c:<13} {n}') for u, r, c, n in DEMO_USERS]"
	@echo "  后台任务 (Celery worker / beat) 日志: .run/worker.log .run/beat.log   健康检查: http://$(HOST):$(PORT)/healthz/"
	@echo ""
	$(PY) -m jiuzhu.devrun --host $(HOST) --port $(PORT)

# The whole suite. DATABASE_URL / REDIS_URL switch to PostgreSQL / Redis (CI sets both).
test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Static checks (ruff, configured in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .

browser-test: install
	$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

bench: install
	$(PY) -m bench $(BENCH_ARGS)

worker: install
	$(VENV)/bin/celery -A jiuzhu worker --loglevel=INFO

clean-run:
	rm -rf .run db.sqlite3
