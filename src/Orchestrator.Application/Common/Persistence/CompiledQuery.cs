using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Orchestrator.Application.Common.Interfaces;

namespace Orchestrator.Application.Common.Persistence;

/// <summary>
/// Runs the statements whose shape never changes as EF Core compiled queries (<c>EF.CompileAsyncQuery</c>), so a
/// request skips building and hashing the LINQ expression and looking it up in the query cache: 25-60 µs a
/// statement, as much as SQLite spends on a one-job statement (docs/performance.md). Queries whose shape depends
/// on the request (orderings, filters) are compiled once per shape by <see cref="ShapedQuery{TArgs, TShape, TEntity, TResult}"/>.
/// </summary>
public static class CompiledQuery
{
    /// <summary>The context a compiled query runs on; EF Core compiles against <see cref="DbContext"/>, not the interface.</summary>
    public static DbContext Context(this IOrchestratorDbContext db) =>
        db as DbContext ?? throw new InvalidOperationException($"{db.GetType().Name} is not an EF Core DbContext.");
}

/// <summary>
/// One compiled query per EF Core model. EF Core refuses to run a compiled query against a model other than the
/// one it first ran with, and a process can hold more than one: each provider has its own, and contexts whose
/// options differ in their services (tests' fault injection, for one) get their own copy.
/// </summary>
public sealed class CompiledQuery<TDelegate>(Func<TDelegate> compile)
    where TDelegate : class
{
    private readonly ConditionalWeakTable<IModel, TDelegate> _byModel = [];

    public TDelegate For(DbContext context) => _byModel.GetValue(context.Model, _ => compile());
}
