"""Frameworks, told from dependencies by a rule table: (ecosystem, dependency name or
prefix, framework). A name ending in ``*`` matches every dependency it starts."""

from __future__ import annotations

RULES: tuple[tuple[str, str, str], ...] = (
    ("python", "django", "django"),
    ("python", "flask", "flask"),
    ("python", "fastapi", "fastapi"),
    ("python", "pyramid", "pyramid"),
    ("python", "tornado", "tornado"),
    ("python", "aiohttp", "aiohttp"),
    ("javascript", "react", "react"),
    ("javascript", "vue", "vue"),
    ("javascript", "@angular/core", "angular"),
    ("javascript", "express", "express"),
    ("javascript", "next", "next"),
    ("javascript", "nuxt", "nuxt"),
    ("javascript", "svelte", "svelte"),
    ("javascript", "@nestjs/core", "nestjs"),
    ("javascript", "koa", "koa"),
    ("go", "github.com/gin-gonic/gin", "gin"),
    ("go", "github.com/labstack/echo*", "echo"),
    ("go", "github.com/gofiber/fiber*", "fiber"),
    ("go", "github.com/gorilla/mux", "gorilla"),
    ("java", "org.springframework.boot*", "spring-boot"),
    ("java", "io.quarkus*", "quarkus"),
    ("java", "io.micronaut*", "micronaut"),
    ("java", "io.dropwizard*", "dropwizard"),
    ("ruby", "rails", "rails"),
    ("ruby", "sinatra", "sinatra"),
    ("ruby", "hanami", "hanami"),
    ("rust", "actix-web", "actix"),
    ("rust", "rocket", "rocket"),
    ("rust", "axum", "axum"),
    ("dotnet", "Microsoft.AspNetCore*", "asp.net-core"),
)

FRAMEWORKS = tuple(sorted({framework for _, _, framework in RULES}))


def framework_of(ecosystem: str, name: str) -> str | None:
    """The framework a dependency is (None: it is no framework of the table)."""
    lowered = name.lower()
    for rule_ecosystem, pattern, framework in RULES:
        if rule_ecosystem != ecosystem:
            continue
        wanted = pattern.lower()
        if (wanted.endswith("*") and lowered.startswith(wanted[:-1])) or lowered == wanted:
            return framework
    return None
