"""Family 5: Jupyter notebooks: code cells, text outputs and Markdown, never image payloads."""

from __future__ import annotations

from tests.corpus.case import Case, neg, notebook, pos, stream

F = "notebooks"
_IMPORT = "import os\nfrom mistralai import Mistral\n"


def cases() -> list[Case]:
    png = {"data": {"image/png": "{B64}", "text/plain": ["<Figure size 640x480>"]},
           "metadata": {}, "output_type": "display_data"}
    return [
        pos(F, "notebooks/quickstart.ipynb", notebook(
            ("markdown", "# Quickstart\n", None),
            ("code", _IMPORT + 'client = Mistral(api_key="{KEY}")\n', None),
        )),
        pos(F, "notebooks/env.ipynb", notebook(
            ("code", "import os\n", None),
            ("code", '%env MISTRAL_API_KEY={KEY}\n', None),
        )),
        pos(F, "notebooks/langchain.ipynb", notebook(
            ("code", "from langchain_mistralai import ChatMistralAI\n\n"
                     'llm = ChatMistralAI(\n    model="mistral-large-latest",\n'
                     '    api_key="{KEY}",\n)\n', None),
        )),
        pos(F, "notebooks/debug.ipynb", notebook(
            ("code", "!env | grep MISTRAL\n", [stream("MISTRAL_API_KEY={KEY}\nPATH=/usr/bin\n")]),
        )),
        pos(F, "notebooks/generic.ipynb", notebook(
            ("code", "from mistralai import Mistral\n", None),
            ("code", "x = 1\n", [png]),
            ("code", 'API_KEY = "{KEY}"\nclient = Mistral(api_key=API_KEY)\n', None),
        )),
        pos(F, "notebooks/notes.ipynb", notebook(
            ("markdown", "## Setup\n\nOur Mistral API key is {KEY} for the workshop.\n", None),
        )),
        pos(F, "notebooks/bearer.ipynb", notebook(
            ("code", "import requests\n\nr = requests.get(\n"
                     '    "https://api.mistral.ai/v1/models",\n'
                     '    headers={"Authorization": "Bearer {KEY}"},\n)\n', None),
        )),
        pos(F, "notebooks/far.ipynb", notebook(
            ("code", "from mistralai import Mistral\n", None),
            ("markdown", "## Load data\n", None),
            ("code", "import pandas as pd\ndf = pd.read_csv('x.csv')\n", None),
            ("code", 'key = "{KEY}"\n', None),
        )),
        neg(F, "notebooks/quickstart.ipynb", notebook(
            ("code", _IMPORT + 'client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])\n', None),
            ("code", "plot()\n", [png]),
        )),
        neg(F, "notebooks/plots.ipynb", notebook(
            ("code", "from mistralai import Mistral\nimport matplotlib.pyplot as plt\n", None),
            ("code", "plt.plot([1, 2])\n", [png, png]),
        )),
        neg(F, "notebooks/response.ipynb", notebook(
            ("code", _IMPORT + "res = client.chat.complete(model='mistral-small-latest', messages=m)\n"
                     "res.id\n", [stream("'{HEX32}'\n")]),
        )),
        neg(F, "notebooks/getpass.ipynb", notebook(
            ("code", "from getpass import getpass\nfrom mistralai import Mistral\n"
                     'api_key = getpass("Mistral API key: ")\n', None),
        )),
        neg(F, "notebooks/pandas.ipynb", notebook(
            ("code", "import pandas as pd\ndf = pd.read_csv('runs.csv')\ndf.head()\n",
             [stream("   run_id\n0  {RANDOM32}\n1  {RANDOM32}\n")]),
        )),
    ]
