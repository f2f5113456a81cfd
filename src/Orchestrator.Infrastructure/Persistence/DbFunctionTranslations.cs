using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;
using Orchestrator.Application.Common.Persistence;

namespace Orchestrator.Infrastructure.Persistence;

internal static class DbFunctionTranslations
{
    public static void Apply(ModelBuilder modelBuilder, DatabaseFacade database, DbContext context)
    {
        var types = context.GetService<IRelationalTypeMappingSource>();
        var doubleMapping = types.FindMapping(typeof(double))!;

        SqlExpression Double(ExpressionType operation, SqlExpression left, SqlExpression right) =>
            new SqlBinaryExpression(operation, left, right, typeof(double), doubleMapping);
        SqlExpression Constant(double value) => new SqlConstantExpression(value, typeof(double), doubleMapping);

        // DATEDIFF_BIG(millisecond, from, to) / 1000.0: milliseconds keep fractions without overflowing.
        SqlExpression SqlServerSecondsBetween(SqlExpression from, SqlExpression to) => Double(ExpressionType.Divide,
            new SqlFunctionExpression("DATEDIFF_BIG", [new SqlFragmentExpression("millisecond"), from, to], nullable: true,
                argumentsPropagateNullability: [false, true, true], typeof(long), types.FindMapping(typeof(long))),
            Constant(1000.0));

        // (julianday(to) - julianday(from)) * 86400.0: SQLite stores times as ISO text, which julianday reads.
        SqlExpression JulianDay(SqlExpression value) => new SqlFunctionExpression(
            "julianday", [value], nullable: true, argumentsPropagateNullability: [true], typeof(double), doubleMapping);
        SqlExpression SqliteSecondsBetween(SqlExpression from, SqlExpression to) =>
            Double(ExpressionType.Multiply, Double(ExpressionType.Subtract, JulianDay(to), JulianDay(from)), Constant(86400.0));

        var method = typeof(OrchestratorDbFunctions).GetMethod(nameof(OrchestratorDbFunctions.SecondsBetween))!;
        modelBuilder.HasDbFunction(method).HasTranslation(database.IsSqlServer()
            ? args => SqlServerSecondsBetween(args[0], args[1])
            : args => SqliteSecondsBetween(args[0], args[1]));
    }
}
