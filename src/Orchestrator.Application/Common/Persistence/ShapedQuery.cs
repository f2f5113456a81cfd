using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Orchestrator.Application.Common.Persistence;

/// <summary>
/// A query whose shape depends on the request (its ordering, which filters are set), run as an EF Core compiled
/// query, compiled once per shape and model. It is written as ordinary LINQ over a stand-in for the entity set
/// and reads every request value through one arguments object. Compiling puts the context's set where the
/// stand-in was and a parameter where each member of the arguments was read, so later requests of the same shape
/// only bind their values: no expression to build, funcletize, hash and look up in EF Core's query cache.
/// </summary>
/// <param name="shapeOf">
/// Everything <paramref name="build"/> branches on, and the length of each array it passes to
/// <c>EF.MultipleParameters</c>: two arguments with the same shape must build the same LINQ.
/// </param>
/// <param name="build">The query. It may capture the arguments and other queries built here, never a value.</param>
public sealed class ShapedQuery<TArgs, TShape, TEntity, TResult>(
    Func<TArgs, TShape> shapeOf, Func<IQueryable<TEntity>, TArgs, IQueryable<TResult>> build)
    where TArgs : class
    where TShape : notnull
    where TEntity : class
{
    private static readonly Expression<Func<DbContext, IQueryable<TEntity>>> Set = db => db.Set<TEntity>().AsNoTracking();

    // Per model, as every compiled query (CompiledQuery<T>): then per shape.
    private readonly CompiledQuery<ConcurrentDictionary<TShape, Func<DbContext, TArgs, IAsyncEnumerable<TResult>>>> _byModel = new(() => new());

    public IAsyncEnumerable<TResult> Run(DbContext context, TArgs args) =>
        _byModel.For(context)
            .GetOrAdd(shapeOf(args), static (_, state) => state.Query.Compile(state.Args), (Query: this, Args: args))
            (context, args);

    /// <summary>
    /// The statement <see cref="Run"/> sends for these arguments, as a query to read its SQL from: each parameter
    /// is the argument's value, read where EF Core names the SQL parameter after the member, as the compiled query does.
    /// </summary>
    public IQueryable<TResult> Query(DbContext context, TArgs args)
    {
        var lifted = Lift(args);
        var values = new Dictionary<Expression, Expression> { [lifted.Args] = Expression.Constant(args) };
        var bound = lifted.Values.Select(value => new Replacer(values).Visit(value)!).ToList();
        values = lifted.Query.Parameters.Skip(1).Zip(bound).ToDictionary(p => (Expression)p.First, p => p.Second);
        values[lifted.Query.Parameters[0]] = Expression.Constant(context);
        return ((IQueryable)context.Set<TEntity>()).Provider.CreateQuery<TResult>(new Replacer(values).Visit(lifted.Query.Body)!);
    }

    private Func<DbContext, TArgs, IAsyncEnumerable<TResult>> Compile(TArgs args)
    {
        var lifted = Lift(args);
        var compiled = CompileAsyncQuery(lifted.Query.Parameters.Count - 1)
            .MakeGenericMethod([.. lifted.Query.Parameters.Select(p => p.Type), typeof(TResult)])
            .Invoke(null, [lifted.Query])!;

        // (db, args) => compiled(db, args.Member, ..., args.Array[0], ...)
        var context = lifted.Query.Parameters[0];
        var invoke = Expression.Invoke(Expression.Constant(compiled), [context, .. lifted.Values]);
        return Expression.Lambda<Func<DbContext, TArgs, IAsyncEnumerable<TResult>>>(invoke, context, lifted.Args).Compile();
    }

    /// <summary>
    /// The query as a lambda of the context and one parameter per value it reads, and how each value is read from
    /// the arguments. EF Core translates a compiled query's parameters but not members read from them, so each member
    /// read becomes a parameter (named after it), and so does each element of an <c>EF.MultipleParameters</c> array.
    /// </summary>
    private (LambdaExpression Query, ParameterExpression Args, List<Expression> Values) Lift(TArgs args)
    {
        var standIn = Array.Empty<TEntity>().AsQueryable();
        var parameter = Expression.Parameter(typeof(TArgs), "args");
        var body = new Rewriter(standIn, Set.Body, args, parameter).Visit(build(standIn, args).Expression);

        var lifter = new ArgumentsLifter(parameter, args);
        body = lifter.Visit(body);
        return (Expression.Lambda(body, [Set.Parameters[0], .. lifter.Parameters]), parameter, lifter.Values);
    }

    // EF.CompileAsyncQuery<TContext, TParam1, ..., TResult>(Expression<Func<TContext, TParam1, ..., IQueryable<TResult>>>)
    private static MethodInfo CompileAsyncQuery(int parameters) =>
        typeof(EF).GetMethods().SingleOrDefault(method =>
            method.Name == nameof(EF.CompileAsyncQuery)
            && method.GetGenericArguments().Length == parameters + 2
            && method.GetParameters()[0].ParameterType.GetGenericArguments()[0].GetGenericArguments()[^1] is { IsGenericType: true } result
            && result.GetGenericTypeDefinition() == typeof(IQueryable<>))
        ?? throw new InvalidOperationException($"EF Core compiles queries of at most 15 parameters; this one reads {parameters} values.");

    /// <summary>The stand-in becomes the context's set; the captured arguments become the parameter.</summary>
    private sealed class Rewriter(IQueryable standIn, Expression set, object args, ParameterExpression parameter) : ExpressionVisitor
    {
        protected override Expression VisitConstant(ConstantExpression node) =>
            ReferenceEquals(node.Value, standIn) ? set : base.VisitConstant(node);

        // A lambda's captured variable is a field of a constant closure object.
        protected override Expression VisitMember(MemberExpression node)
        {
            if (node is not { Expression: ConstantExpression { Value: { } closure }, Member: FieldInfo field } || ReferenceEquals(closure, standIn))
                return base.VisitMember(node);

            return field.GetValue(closure) switch
            {
                var value when ReferenceEquals(value, args) => parameter,
                IQueryable captured => Visit(captured.Expression),
                _ => throw new InvalidOperationException(
                    $"A shaped query captures '{field.Name}': read request values through the arguments, or the compiled " +
                    "query would keep the first request's value."),
            };
        }
    }

    /// <summary>Each member of the arguments read becomes a parameter; each array element too, where the array is one parameter per element.</summary>
    private sealed class ArgumentsLifter(ParameterExpression args, object values) : ExpressionVisitor
    {
        private readonly Dictionary<string, ParameterExpression> _members = [];

        public List<ParameterExpression> Parameters { get; } = [];

        public List<Expression> Values { get; } = [];

        // The whole chain (args.Limit.Value, not args.Limit): EF Core translates a compiled query's parameters,
        // not members read from them.
        protected override Expression VisitMember(MemberExpression node)
        {
            var chain = new List<MemberInfo>();
            for (Expression? link = node; link is MemberExpression member; link = member.Expression)
            {
                chain.Insert(0, member.Member);
                if (member.Expression == args)
                {
                    var name = string.Join("_", chain.Where(m => m.DeclaringType is not { IsGenericType: true } type
                        || type.GetGenericTypeDefinition() != typeof(Nullable<>)).Select(m => m.Name));
                    if (!_members.TryGetValue(name, out var parameter))
                        _members.Add(name, parameter = Add(name, node));
                    return parameter;
                }
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            // EF.MultipleParameters is a C# 14 extension of EF, declared in the relational assembly.
            if (node.Method is not { Name: "MultipleParameters", IsGenericMethod: true, DeclaringType.Namespace: "Microsoft.EntityFrameworkCore" }
                || node.Arguments is not [MemberExpression { Member: var member } array] || array.Expression != args)
                return base.VisitMethodCall(node);

            var length = ((Array)Expression.Lambda(array, args).Compile().DynamicInvoke(values)!).Length;
            var elements = Enumerable.Range(0, length)
                .Select(i => Add($"{member.Name}_{i}", Expression.ArrayIndex(array, Expression.Constant(i))));
            return Expression.NewArrayInit(node.Type.GetElementType()!, elements);
        }

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == args
                ? throw new InvalidOperationException("A shaped query reads members of its arguments, not the arguments object itself.")
                : node;

        private ParameterExpression Add(string name, Expression value)
        {
            var parameter = Expression.Parameter(value.Type, name);
            Parameters.Add(parameter);
            Values.Add(value);
            return parameter;
        }
    }

    private sealed class Replacer(Dictionary<Expression, Expression> replacements) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) =>
            node is not null && replacements.TryGetValue(node, out var replacement) ? replacement : base.Visit(node);
    }
}

/// <summary>
/// <c>Skip</c> and <c>Take</c> with the count as an expression. <c>Queryable.Take(limit)</c> puts the number itself
/// into the query, where a compiled query would keep the first request's; <c>Take(() => args.Limit)</c> reads it
/// from the arguments, which a <see cref="ShapedQuery{TArgs, TShape, TEntity, TResult}"/> binds per request.
/// </summary>
public static class ShapedQueryable
{
    private static readonly MethodInfo SkipMethod = new Func<IQueryable<object>, int, IQueryable<object>>(Queryable.Skip).Method.GetGenericMethodDefinition();

    private static readonly MethodInfo TakeMethod = new Func<IQueryable<object>, int, IQueryable<object>>(Queryable.Take).Method.GetGenericMethodDefinition();

    public static IQueryable<T> Skip<T>(this IQueryable<T> source, Expression<Func<int>> count) =>
        source.Provider.CreateQuery<T>(Expression.Call(null, SkipMethod.MakeGenericMethod(typeof(T)), source.Expression, count.Body));

    public static IQueryable<T> Take<T>(this IQueryable<T> source, Expression<Func<int>> count) =>
        source.Provider.CreateQuery<T>(Expression.Call(null, TakeMethod.MakeGenericMethod(typeof(T)), source.Expression, count.Body));
}
