"""Family 8, outputs (SHAPES.md class 3): logs, CI job logs, notebook outputs where a bare
key appears after something printed the Mistral key variable; the printed line is the label."""

from __future__ import annotations

from dataclasses import replace

from tests.corpus.case import Case, neg, notebook, pos, stream

# Built here so this module's own source does not look like a script printing the key
# (the project scans itself clean).
_ECHO_KEY = "echo $" + "MISTRAL_API_KEY"


def _echo(cases: list[Case]) -> list[Case]:
    return [replace(c, template=c.template.replace("{ECHO_KEY}", _ECHO_KEY)) for c in cases]


F = "outputs"


def _result(text: str) -> dict:
    return {"data": {"text/plain": [text]}, "execution_count": 1, "metadata": {},
            "output_type": "execute_result"}


def cases() -> list[Case]:
    return _echo([
        # D-NB-01: a cell prints the key variable; its stream output is the bare key.
        pos(F, "notebooks/rag_quickstart.ipynb", notebook(
            ("markdown", "# RAG quickstart\nLoad the key from .env first.", None),
            ("code", 'import os\nfrom dotenv import load_dotenv\nfrom mistralai import Mistral\n\n'
                     'load_dotenv()\nmistral_api_key = os.getenv("MISTRAL_API_KEY")\nprint(mistral_api_key)\n',
             [stream("{KEY}\n")]),
            ("code", "client = Mistral(api_key=mistral_api_key)\n", None),
        )),
        pos(F, "notebooks/check_env.ipynb", notebook(
            ("code", 'import os\nos.environ["MISTRAL_API_KEY"]\n', [_result("'{KEY}'")]),
            ("code", "from langchain_mistralai import ChatMistralAI\nllm = ChatMistralAI()\n", None),
        )),
        # D-CI-01: a CI job log where a step echoed the key variable (masking was off).
        pos(F, "ci-logs/evals_job_1842.log", '''2024-11-03T09:12:40.1122331Z ##[group]Run python -m evals.run --provider mistral
2024-11-03T09:12:40.1124410Z echo "key check"; {ECHO_KEY}
2024-11-03T09:12:40.1124901Z shell: /usr/bin/bash -e {0}
2024-11-03T09:12:40.1125330Z ##[endgroup]
2024-11-03T09:12:40.2291845Z key check
2024-11-03T09:12:40.2293318Z {KEY}
2024-11-03T09:12:41.9021175Z Loading dataset evals/data/qa.jsonl (120 rows)
2024-11-03T09:12:55.4411020Z model=mistral-small-latest accuracy=0.81
'''),
        pos(F, "logs/gitlab-job-5521.txt", '''Running with gitlab-runner 17.2.0 (6428c288)
  on docker-auto-scale 12abc, system ID: s_0e6850b2bce1
Preparing the "docker+machine" executor
$ pip install -r requirements.txt
Successfully installed mistralai-1.2.5
$ printenv MISTRAL_API_KEY
{KEY}
$ pytest -q tests/integration
12 passed in 31.02s
Job succeeded
'''),
        # D-LOG-01: an application log; the line after the one announcing the key is the key.
        pos(F, "logs/app-2024-05-01.log", '''2024-05-01 10:00:01,201 INFO  app.main starting worker pid=8812
2024-05-01 10:00:01,204 INFO  app.config loaded MISTRAL_API_KEY from .env:
2024-05-01 10:00:01,204 DEBUG app.config {KEY}
2024-05-01 10:00:01,377 INFO  app.llm model=mistral-large-latest timeout=30
2024-05-01 10:00:02,918 INFO  uvicorn running on http://0.0.0.0:8000
'''),
        pos(F, "debug/run_output.txt", '''> python config.py
Loading .env ...
Mistral API Key:
{KEY}
OpenAI API Key:
None
> python app.py
 * Serving Flask app 'app'
'''),
        # D-NEG-05 (negatives seen for real): masked or truncated prints, lengths, response ids.
        neg(F, "notebooks/check_env.ipynb", notebook(
            ("code", 'import os\nkey = os.getenv("MISTRAL_API_KEY")\nprint(key[:4] + "...", len(key))\n',
             [stream("AbCd... 32\n")]),
            ("code", "resp = client.chat.complete(model='mistral-small-latest', messages=m)\nresp.id\n",
             [_result("'{HEX32}'")]),
        )),
        neg(F, "ci-logs/evals_job_1843.log", '''2024-11-04T09:12:40.1124410Z {ECHO_KEY}
2024-11-04T09:12:40.2293318Z ***
2024-11-04T09:12:41.9021175Z run id {UUIDHEX}
2024-11-04T09:12:55.4411020Z model=mistral-small-latest accuracy=0.82
'''),
        neg(F, "logs/app-2024-05-02.log", '''2024-05-02 10:00:01,204 INFO  app.config MISTRAL_API_KEY found (length 32)
2024-05-02 10:00:03,101 INFO  app.llm chat.completion id={HEX32} model=mistral-small-latest
'''),
    ])
