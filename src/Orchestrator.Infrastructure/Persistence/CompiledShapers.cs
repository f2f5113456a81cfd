using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

// EF9100: the liftable-constant processor is an experimental API of EF Core's precompiled queries, and the last
// step before EF Core compiles a query's executor, which is the step this class adds to. An EF Core upgrade
// that changes it fails this build, or CompiledShapersTests, rather than misbehaving.
#pragma warning disable EF9100

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Compiles the delegates nested in a query's executor (its shaper, its command resolver) once, when EF Core
/// compiles the query, instead of at every execution. Since EF Core 9 these stay lambdas inside the executor's
/// expression (shapers are built so that they can also be written out as C# for ahead-of-time compilation), and
/// .NET's expression compiler turns a nested lambda into a <c>DynamicMethod.CreateDelegate</c> each time the
/// executor runs: two per statement, 8% of one job's request (docs/performance.md, dotnet/efcore#35210).
/// EF Core 8 passed them as compiled constants, and so does this, for each nested lambda that uses nothing from
/// outside itself.
/// </summary>
internal sealed class CompiledShapers(
    ShapedQueryCompilingExpressionVisitorDependencies dependencies,
    RelationalShapedQueryCompilingExpressionVisitorDependencies relationalDependencies,
    RelationalCommandBuilderDependencies commandBuilderDependencies)
    : RelationalLiftableConstantProcessor(dependencies, relationalDependencies, commandBuilderDependencies)
{
    public override Expression InlineConstants(Expression expression, bool supportsPrecompiledQuery)
    {
        var inlined = base.InlineConstants(expression, supportsPrecompiledQuery);
        return inlined is LambdaExpression executor
            ? Expression.Lambda(executor.Type, new NestedLambdas().Visit(executor.Body), executor.Name, executor.TailCall, executor.Parameters)
            : inlined;
    }

    /// <summary>Replaces each closed nested lambda, innermost first, by its compiled delegate.</summary>
    private sealed class NestedLambdas : ExpressionVisitor
    {
        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            var lambda = (LambdaExpression)base.VisitLambda(node);
            return FreeVariables.AnyIn(lambda) ? lambda : Expression.Constant(lambda.Compile(), lambda.Type);
        }

        // A quoted lambda is data (an expression tree passed as an argument).
        protected override Expression VisitUnary(UnaryExpression node) =>
            node.NodeType == ExpressionType.Quote ? node : base.VisitUnary(node);

        // An invoked lambda is inlined by the compiler, with no delegate to save: only the lambdas inside it count.
        protected override Expression VisitInvocation(InvocationExpression node) =>
            node.Expression is LambdaExpression invoked
                ? node.Update(
                    Expression.Lambda(invoked.Type, Visit(invoked.Body), invoked.Name, invoked.TailCall, invoked.Parameters),
                    Visit(node.Arguments))
                : base.VisitInvocation(node);
    }

    /// <summary>Whether a lambda reads a parameter or variable that it does not declare itself.</summary>
    private sealed class FreeVariables : ExpressionVisitor
    {
        private readonly List<ParameterExpression> _declared = [];
        private bool _found;

        public static bool AnyIn(LambdaExpression lambda)
        {
            var visitor = new FreeVariables();
            visitor.Visit(lambda);
            return visitor._found;
        }

        public override Expression? Visit(Expression? node) => _found ? node : base.Visit(node);

        protected override Expression VisitLambda<T>(Expression<T> node) => Declaring(node.Parameters, () => base.VisitLambda(node));

        protected override Expression VisitBlock(BlockExpression node) => Declaring(node.Variables, () => base.VisitBlock(node));

        protected override CatchBlock VisitCatchBlock(CatchBlock node) =>
            node.Variable is { } variable ? Declaring([variable], () => base.VisitCatchBlock(node)) : base.VisitCatchBlock(node);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found |= !_declared.Contains(node);
            return node;
        }

        private TNode Declaring<TNode>(IReadOnlyCollection<ParameterExpression> variables, Func<TNode> visit)
        {
            _declared.AddRange(variables);
            try
            {
                return visit();
            }
            finally
            {
                _declared.RemoveRange(_declared.Count - variables.Count, variables.Count);
            }
        }
    }
}

internal static class CompiledShapersExtensions
{
    /// <summary>Every context of the application compiles its queries' nested delegates once (<see cref="CompiledShapers"/>).</summary>
    public static TBuilder UseCompiledShapers<TBuilder>(this TBuilder builder)
        where TBuilder : DbContextOptionsBuilder
    {
        builder.ReplaceService<ILiftableConstantProcessor, CompiledShapers>();
        return builder;
    }
}
