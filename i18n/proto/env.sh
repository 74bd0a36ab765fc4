# Source me: environment of the prototype builds (run from /work/wt-ko).
export PYTHONPATH=/work/wt-ko:/work/wt-ko/_ext
export KLBOOK_NODE_MODULES=/work/main/node_modules
export KLBOOK_JB_EXECUTE=cache
SB="/work/main/.venv/bin/python -m sphinx -c i18n/proto -D nb_execution_cache_path=/work/wt-ko/_build/.jupyter_cache"
