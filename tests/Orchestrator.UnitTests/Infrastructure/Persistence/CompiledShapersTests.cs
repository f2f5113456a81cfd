using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moq;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

#pragma warning disable EF9100 // the experimental processor CompiledShapers replaces

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>
/// What <see cref="CompiledShapers"/> compiles ahead (nested lambdas that use nothing from outside) and what it
/// leaves to EF Core's executor; the handler tests run every query through it.
/// </summary>
public sealed class CompiledShapersTests
{
    private static readonly ParameterExpression QueryContext = Expression.Parameter(typeof(QueryContext), "queryContext");

    [Test]
    public void A_closed_nested_lambda_becomes_its_compiled_delegate()
    {
        var x = Expression.Parameter(typeof(int), "x");
        var addOne = Expression.Lambda<Func<int, int>>(Expression.Add(x, Expression.Constant(1)), x);

        var inlined = Inline(addOne);

        Assert.That(inlined, Is.InstanceOf<ConstantExpression>());
        Assert.That(((Func<int, int>)((ConstantExpression)inlined).Value!)(2), Is.EqualTo(3));
    }

    [Test]
    public void A_lambda_that_reads_the_executors_parameter_stays_a_lambda()
    {
        var x = Expression.Parameter(typeof(int), "x");
        var capturing = Expression.Lambda<Func<int, QueryContext>>(QueryContext, x);

        Assert.That(Inline(capturing), Is.SameAs(capturing));
    }

    [Test]
    public void A_lambda_that_reads_a_block_variable_around_it_stays_a_lambda()
    {
        var local = Expression.Variable(typeof(int), "local");
        var reading = Expression.Lambda<Func<int>>(local);
        var block = Expression.Block([local], Expression.Assign(local, Expression.Constant(5)), reading);

        var inlined = (BlockExpression)Inline(block);

        Assert.That(inlined.Expressions[^1], Is.SameAs(reading));
    }

    [Test]
    public void An_outer_lambda_is_compiled_with_the_inner_lambda_that_reads_its_parameter()
    {
        var x = Expression.Parameter(typeof(int), "x");
        var y = Expression.Parameter(typeof(int), "y");
        var inner = Expression.Lambda<Func<int, int>>(Expression.Multiply(x, y), y);
        var outer = Expression.Lambda<Func<int, Func<int, int>>>(inner, x);

        var inlined = Inline(outer);

        Assert.That(inlined, Is.InstanceOf<ConstantExpression>());
        Assert.That(((Func<int, Func<int, int>>)((ConstantExpression)inlined).Value!)(6)(7), Is.EqualTo(42));
    }

    [Test]
    public void Quoted_and_invoked_lambdas_are_left_to_the_expression_compiler()
    {
        var x = Expression.Parameter(typeof(int), "x");
        var quoted = Expression.Quote(Expression.Lambda<Func<int, int>>(x, x));
        var invoked = Expression.Invoke(Expression.Lambda<Func<int, int>>(x, x), Expression.Constant(4));

        Assert.Multiple(() =>
        {
            Assert.That(Inline(quoted), Is.SameAs(quoted));
            Assert.That(((InvocationExpression)Inline(invoked)).Expression, Is.InstanceOf<LambdaExpression>());
        });
    }

    [Test]
    public void Every_context_of_the_application_uses_it()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orchestrator"] = "Data Source=:memory:",
        }).Build();
        var host = new Mock<IHostEnvironment>();
        host.SetupGet(h => h.ContentRootPath).Returns(Path.GetTempPath());
        services.AddSingleton(host.Object).AddSingleton<IConfiguration>(configuration).AddLogging().AddInfrastructure(configuration);
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        DbContext[] contexts =
        [
            scope.ServiceProvider.GetRequiredService<SqliteOrchestratorDbContext>(),
            scope.ServiceProvider.GetRequiredService<SqlServerOrchestratorDbContext>(),
            (DbContext)scope.ServiceProvider.GetRequiredService<IOrchestratorDbContext>(),
        ];

        Assert.That(contexts.Select(c => c.GetService<ILiftableConstantProcessor>()), Is.All.InstanceOf<CompiledShapers>());
    }

    /// <summary>The body of an executor <c>queryContext =&gt; body</c> after the processor.</summary>
    private static Expression Inline(Expression body)
    {
        // The processor needs a context's services, not a database.
        using var context = new SqliteOrchestratorDbContext(
            new DbContextOptionsBuilder<SqliteOrchestratorDbContext>().UseSqlite("Data Source=:memory:").UseCompiledShapers().Options);
        var processor = context.GetService<ILiftableConstantProcessor>();
        var executor = Expression.Lambda(Expression.Convert(body, typeof(object)), QueryContext);

        var inlined = (LambdaExpression)processor.InlineConstants(executor, supportsPrecompiledQuery: false);

        return ((UnaryExpression)inlined.Body).Operand;
    }
}
