import { describe, expect, it } from "vitest";
import { requirementName } from "../../../src/engine/manifests/python.js";
import { declared } from "./helpers.js";

describe("requirementName", () => {
  it("extracts PEP 508 names", () => {
    expect(requirementName("requests")).toBe("requests");
    expect(requirementName("uvicorn[standard]>=0.29")).toBe("uvicorn");
    expect(requirementName("Django (>=4.2,<5)")).toBe("Django");
    expect(requirementName('pywin32>=306; sys_platform == "win32"')).toBe("pywin32");
    expect(requirementName("mylib @ git+https://github.com/acme/mylib@v1.2")).toBe("mylib");
    expect(requirementName("zope.interface~=6.0")).toBe("zope.interface");
  });

  it("rejects what is not a requirement", () => {
    for (const s of ["https://example.com/x.whl", "./vendor/pkg", "foo-1.0-py3-none-any.whl", "see the docs", "${PKG}"]) {
      expect(requirementName(s)).toBeUndefined();
    }
  });
});

const requirements = `# Core
-r base.txt
--index-url https://pypi.org/simple
fastapi==0.110.0
uvicorn[standard]>=0.29  # ASGI server
SQLAlchemy>=2.0,<2.1
psycopg2-binary==2.9.9 \\
    --hash=sha256:abc123
pywin32>=306; sys_platform == "win32"
-e git+https://github.com/acme/internal.git#egg=internal
https://files.example.com/wheels/thing-1.0-py3-none-any.whl
./libs/localpkg
redis
`;

describe("requirements files", () => {
  it("reads one requirement per line and skips options, URLs and paths", () => {
    expect(declared("requirements.txt", requirements)).toEqual([
      ["fastapi", "runtime", 4],
      ["uvicorn", "runtime", 5],
      ["SQLAlchemy", "runtime", 6],
      ["psycopg2-binary", "runtime", 7],
      ["pywin32", "runtime", 9],
      ["redis", "runtime", 13],
    ]);
  });

  it("marks dev and test files as dev", () => {
    expect(declared("requirements-dev.txt", "pytest>=8\nruff\n")).toEqual([
      ["pytest", "dev", 1],
      ["ruff", "dev", 2],
    ]);
    expect(declared("requirements/test.txt", "-r base.txt\npytest-django\n")).toEqual([["pytest-django", "dev", 2]]);
    expect(declared("requirements/prod.txt", "gunicorn\n")).toEqual([["gunicorn", "runtime", 1]]);
  });
});

const poetry = `[tool.poetry]
name = "inventory-service"
version = "0.1.0"
description = "Inventory API"

[tool.poetry.dependencies]
python = "^3.11"
fastapi = "^0.110.0"
sqlalchemy = { version = "^2.0", extras = ["asyncio"] }
celery = { extras = ["redis"], version = "^5.3" }

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"
mypy = "^1.9"

[tool.poetry.dev-dependencies]
black = "^24.2"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
`;

const pep621 = `[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "billing"
version = "1.2.0"
description = "Billing service on flask and pydantic"
dependencies = [
  "flask>=3.0",
  "flask-sqlalchemy",
  "pydantic[email]>=2.6",
]

[project.optional-dependencies]
postgres = ["psycopg[binary]>=3.1"]
test = ["pytest>=8", "pytest-cov"]

[dependency-groups]
lint = ["ruff>=0.3"]
all = [{ include-group = "lint" }, "tox"]

[tool.pdm.dev-dependencies]
docs = ["mkdocs"]

[tool.uv]
dev-dependencies = ["pre-commit"]
`;

describe("pyproject.toml", () => {
  it("reads Poetry tables, skipping python and build requirements", () => {
    expect(declared("pyproject.toml", poetry)).toEqual([
      ["fastapi", "runtime", 8],
      ["sqlalchemy", "runtime", 9],
      ["celery", "runtime", 10],
      ["black", "dev", 17],
      ["pytest", "dev", 13],
      ["mypy", "dev", 14],
    ]);
  });

  it("reads PEP 621, PEP 735, PDM and uv tables", () => {
    expect(declared("pyproject.toml", pep621)).toEqual([
      ["flask", "runtime", 10],
      ["flask-sqlalchemy", "runtime", 11],
      ["pydantic", "runtime", 12],
      ["psycopg", "runtime", 16],
      ["pytest", "dev", 17],
      ["pytest-cov", "dev", 17],
      ["ruff", "dev", 20],
      ["tox", "dev", 21],
      ["mkdocs", "dev", 24],
      ["pre-commit", "dev", 27],
    ]);
  });
});

describe("Pipfile", () => {
  it("reads packages and dev-packages", () => {
    const pipfile = `[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
django = "*"
djangorestframework = "==3.15.1"
requests = {version = ">=2.31", extras = ["socks"]}

[dev-packages]
pytest-django = "*"

[requires]
python_version = "3.12"
`;
    expect(declared("Pipfile", pipfile)).toEqual([
      ["django", "runtime", 7],
      ["djangorestframework", "runtime", 8],
      ["requests", "runtime", 9],
      ["pytest-django", "dev", 12],
    ]);
  });
});

describe("setup.cfg", () => {
  it("reads install_requires and extras_require", () => {
    const cfg = `[metadata]
name = acme-worker
version = 0.3.0

[options]
packages = find:
python_requires = >=3.9
install_requires =
    boto3>=1.34
    click
    # pinned for the broker
    kombu==5.3.5
setup_requires = setuptools_scm

[options.extras_require]
test =
    pytest
    moto[s3]
monitoring = prometheus-client

[flake8]
max-line-length = 100
`;
    expect(declared("setup.cfg", cfg)).toEqual([
      ["boto3", "runtime", 9],
      ["click", "runtime", 10],
      ["kombu", "runtime", 12],
      ["pytest", "dev", 17],
      ["moto", "dev", 18],
      ["prometheus-client", "runtime", 19],
    ]);
  });
});

describe("setup.py", () => {
  it("reads literal lists, a list held in a variable, and extras", () => {
    const setupPy = `from setuptools import setup, find_packages

REQUIRES = [
    "requests>=2.31",  # HTTP
    'tenacity',
]

setup(
    name="acme-client",
    version="1.0.0",
    packages=find_packages(exclude=["tests"]),
    install_requires=REQUIRES,
    tests_require=["pytest", "responses"],
    extras_require={
        "async": ["aiohttp>=3.9"],
        "dev": [
            "black",
            "mypy",
        ],
    },
    setup_requires=["wheel"],
)
`;
    expect(declared("setup.py", setupPy)).toEqual([
      ["requests", "runtime", 4],
      ["tenacity", "runtime", 5],
      ["pytest", "dev", 13],
      ["responses", "dev", 13],
      ["aiohttp", "runtime", 15],
      ["black", "dev", 17],
      ["mypy", "dev", 18],
    ]);
  });

  it("reads dict(...) extras and ignores computed values", () => {
    const setupPy = `setup(
    install_requires=open("requirements.txt").read().splitlines(),
    extras_require=dict(test=["pytest"], s3=["boto3"]),
)
`;
    expect(declared("setup.py", setupPy)).toEqual([
      ["pytest", "dev", 3],
      ["boto3", "runtime", 3],
    ]);
  });
});

describe("pip-compile output", () => {
  it("keeps requirements chosen in requirements.in and drops transitive ones", async () => {
    const { parseManifest } = await import("../../../src/engine/manifests/index.js");
    const text = `flask==3.0.0
    # via -r requirements.in
tenacity==8.2.3
    # via langchain
langchain==0.1.0
    # via
    #   -r requirements.in
click==8.1.7
    # via
    #   flask
    #   uvicorn
requests==2.31.0
`;
    const names = parseManifest("requirements.txt", text).dependencies.map((d) => d.name);
    expect(names).toEqual(["flask", "langchain", "requests"]);
  });
});
