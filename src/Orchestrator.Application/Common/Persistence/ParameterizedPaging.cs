using System.Linq.Expressions;
using System.Reflection;

namespace Orchestrator.Application.Common.Persistence;

/// <summary>
/// <c>Skip</c> and <c>Take</c> whose count EF Core sends as a SQL parameter. <c>Queryable.Take(limit)</c> puts the
/// number itself into the expression, so EF Core would write it into the SQL text and cache one query per value;
/// <c>Take(() => limit)</c> reads it from a closure, which EF Core turns into a parameter.
/// </summary>
public static class ParameterizedPaging
{
    private static readonly MethodInfo SkipMethod = new Func<IQueryable<object>, int, IQueryable<object>>(Queryable.Skip).Method.GetGenericMethodDefinition();

    private static readonly MethodInfo TakeMethod = new Func<IQueryable<object>, int, IQueryable<object>>(Queryable.Take).Method.GetGenericMethodDefinition();

    public static IQueryable<T> Skip<T>(this IQueryable<T> source, Expression<Func<int>> count) =>
        source.Provider.CreateQuery<T>(Expression.Call(null, SkipMethod.MakeGenericMethod(typeof(T)), source.Expression, count.Body));

    public static IQueryable<T> Take<T>(this IQueryable<T> source, Expression<Func<int>> count) =>
        source.Provider.CreateQuery<T>(Expression.Call(null, TakeMethod.MakeGenericMethod(typeof(T)), source.Expression, count.Body));
}
