"""GraphQL: every document the bot sends validates against 7Geese's real schema, and
the sandbox's schema is a subset of the real one."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
    parse,
    validate,
)

from bot.geese import documents
from sandbox.geese.graphql_api import schema as sandbox_schema
from tests.helpers import REFERENCE


@cache
def real_schema():
    path = Path(REFERENCE / "schema.graphql")
    if not path.exists():
        pytest.skip("7Geese's schema.graphql is not in tests/reference")
    # The 2020 dump has two quirks graphql-core's strict mode rejects (see API.md).
    return build_schema(path.read_text(), assume_valid=True)


@pytest.mark.parametrize("document", documents.ALL, ids=lambda d: d.name)
def test_documents_validate_against_the_real_schema(document):
    errors = validate(real_schema(), parse(document.text))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("document", documents.ALL, ids=lambda d: d.name)
def test_documents_validate_against_the_sandbox_schema(document):
    errors = validate(sandbox_schema(), parse(document.text))
    assert errors == [], [e.message for e in errors]


def test_documents_are_named_as_their_operation():
    for document in documents.ALL:
        operation = parse(document.text).definitions[0]
        assert operation.name.value == document.name


def subset_problems(real, ours) -> list[str]:
    """Where `ours` is not a subset of `real`: names and types must match exactly."""
    problems = []
    for name, ours_type in ours.type_map.items():
        if name.startswith("__"):
            continue
        real_type = real.type_map.get(name)
        if real_type is None:
            problems.append(f"type {name} is not in the real schema")
            continue
        if type(real_type) is not type(ours_type):
            problems.append(f"{name} is a {type(real_type).__name__} in the real schema")
            continue
        if isinstance(ours_type, GraphQLObjectType | GraphQLInterfaceType |
                      GraphQLInputObjectType):
            for field_name, field in ours_type.fields.items():
                real_field = real_type.fields.get(field_name)
                if real_field is None:
                    problems.append(f"{name}.{field_name} is not in the real schema")
                    continue
                if str(real_field.type) != str(field.type):
                    problems.append(f"{name}.{field_name}: {field.type} != {real_field.type}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    real_arg = real_field.args.get(arg_name)
                    if real_arg is None or str(real_arg.type) != str(arg.type):
                        problems.append(f"{name}.{field_name}({arg_name}: {arg.type}) differs")
        if isinstance(ours_type, GraphQLEnumType):
            missing = set(ours_type.values) - set(real_type.values)
            if missing:
                problems.append(f"{name} has values {missing} the real enum lacks")
    return problems


def test_sandbox_schema_is_a_subset_of_the_real_one():
    assert subset_problems(real_schema(), sandbox_schema()) == []


def test_the_subset_check_catches_differences():
    bad = build_schema(
        "type Query { currentUser: UserProfileNode, madeUp: Int } "
        "type UserProfileNode { pk: String, fullName(style: Int): String } "
        "type Gosling { name: String }"
    )
    problems = subset_problems(real_schema(), bad)
    assert "Query.madeUp is not in the real schema" in problems
    assert "UserProfileNode.pk: String != Int" in problems
    assert "UserProfileNode.fullName(style: Int) differs" in problems
    assert "type Gosling is not in the real schema" in problems


@pytest.mark.parametrize("document", documents.ALL, ids=lambda d: d.name)
def test_only_queries_are_retried(document):
    """A write retried after a timeout may land twice: `is_read` (what the client
    retries) is exactly the operation being a query."""
    operation = parse(document.text).definitions[0]
    assert document.is_read == (operation.operation.value == "query")
