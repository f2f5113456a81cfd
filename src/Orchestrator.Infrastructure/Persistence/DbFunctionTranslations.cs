using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;
using Orchestrator.Application.Common.Persistence;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>Each provider's SQL for <see cref="OrchestratorDbFunctions"/>.</summary>
internal static class DbFunctionTranslations
{
    public static void Apply(ModelBuilder modelBuilder, DatabaseFacade database, DbContext context)
    {
        var types = context.GetService<IRelationalTypeMappingSource>();
        var doubleMapping = types.FindMapping(typeof(double))!;
        var method = typeof(OrchestratorDbFunctions).GetMethod(nameof(OrchestratorDbFunctions.SecondsBetween))!;
        var sqlServer = database.IsSqlServer();
        modelBuilder.HasDbFunction(method).HasTranslation(args => sqlServer
            ? SqlServerSecondsBetween(args[0], args[1], types.FindMapping(typeof(long))!, doubleMapping)
            : SqliteSecondsBetween(args[0], args[1], doubleMapping));
    }

    // (julianday(to) - julianday(from)) * 86400.0: SQLite stores times as ISO text, which julianday reads.
    private static SqlExpression SqliteSecondsBetween(SqlExpression from, SqlExpression to, RelationalTypeMapping doubleMapping)
    {
        SqlExpression JulianDay(SqlExpression value) => new SqlFunctionExpression(
            "julianday", [value], nullable: true, argumentsPropagateNullability: [true], typeof(double), doubleMapping);

        var days = new SqlBinaryExpression(ExpressionType.Subtract, JulianDay(to), JulianDay(from), typeof(double), doubleMapping);
        return new SqlBinaryExpression(
            ExpressionType.Multiply, days, new SqlConstantExpression(86400.0, typeof(double), doubleMapping), typeof(double), doubleMapping);
    }

    // DATEDIFF_BIG(millisecond, from, to) / 1000.0: milliseconds keep fractions without overflowing.
    private static SqlExpression SqlServerSecondsBetween(
        SqlExpression from, SqlExpression to, RelationalTypeMapping longMapping, RelationalTypeMapping doubleMapping)
    {
        var milliseconds = new SqlFunctionExpression(
            "DATEDIFF_BIG", [new SqlFragmentExpression("millisecond"), from, to], nullable: true,
            argumentsPropagateNullability: [false, true, true], typeof(long), longMapping);
        return new SqlBinaryExpression(
            ExpressionType.Divide, milliseconds, new SqlConstantExpression(1000.0, typeof(double), doubleMapping), typeof(double), doubleMapping);
    }
}
