using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO009: a folio above <c>folios.max_folio_order</c>, the project's own limit for a conversion to order-0 pages.
/// Silent unless the project sets the option.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FolioOrderPolicyAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.FolioOrderAbovePolicy);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { PageOrderAttribute: not null, AllocationSizeAttribute: not null } types ? types : null,
            FoliosEntryPoints.Api, static (block, types) =>
            {
                foreach (var invocation in block.Operations<IInvocationOperation>())
                    Analyze(block, invocation, types);
            });
    }

    private static void Analyze(RuleBlock context, IInvocationOperation invocation, FoliosTypes types)
    {
        // OrderForSize computes an order; it allocates nothing.
        if (!TakesOrderOrSize(invocation.TargetMethod, types)
            || invocation.TargetMethod.Name == Names.PageAllocator.OrderForSize && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.PageAllocator))
            return;
        var options = FoliosOptions.Read(context.Options, invocation.Syntax.SyntaxTree);
        if (options.MaxFolioOrder is not { } limit)
            return;
        var request = AllocationRequest.Read(invocation, types, options);
        // Pages needs no folio; an unknown policy or order is not guessed at.
        bool wantsFolio = !request.HasPolicy || request.Policy is { } policy && policy != AllocationRequest.PagesPolicy;
        if (request.Order is { } order && order > limit && wantsFolio)
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.FolioOrderAbovePolicy, invocation.Syntax.GetLocation(), order, (long)options.PageSize << order, limit));
    }

    private static bool TakesOrderOrSize(IMethodSymbol method, FoliosTypes types)
    {
        foreach (var parameter in method.Parameters)
        {
            if (FoliosTypes.HasAttribute(parameter, types.PageOrderAttribute) || FoliosTypes.HasAttribute(parameter, types.AllocationSizeAttribute))
                return true;
        }
        return false;
    }
}
