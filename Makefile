# jiuzhu — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate serve worker bench browser-test clean-run

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py ensure_dev_keys
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_periodic_tasks

# Migrate, load demo data, start a Celery worker with embedded beat (filesystem broker unless
# REDIS_URL is set) and serve the site on http://$(HOST):$(PORT).
run: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v 0
	@mkdir -p .run/broker .run/broker-done
	@echo ""
	@echo "  焦作市社会救助业务系统: http://$(HOST):$(PORT)/   (密码 jiuzhu-demo-2026)"
	@echo "  演示账号: shi_admin wuzhi_minzheng wuzhi_choucha wuzhi_caizheng zhandian_jingban zhandian_shenpi"
	@echo "            heying_cun xitao_jingban wenxian_minzheng xiangyun_jingban shi_xitong shi_anquan shi_shenji"
	@echo ""
	@$(VENV)/bin/celery -A jiuzhu worker -B --loglevel=WARNING --concurrency=2 \
		--schedule=.run/celerybeat-schedule & echo $$! > .run/worker.pid; \
	trap 'kill $$(cat .run/worker.pid) 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite. DATABASE_URL / REDIS_URL switch to PostgreSQL / Redis (CI sets both).
test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

browser-test: install
	$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

bench: install
	$(PY) -m bench $(BENCH_ARGS)

worker: install
	$(VENV)/bin/celery -A jiuzhu worker --loglevel=INFO

clean-run:
	rm -rf .run db.sqlite3
