using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>FOLIO001: a NoFail request above order 1, whatever form the order and the flags take.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoFailOrderAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property that carries the order to the code fix.</summary>
    public const string OrderProperty = "Order";

    private const long NoFailFlag = 1;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.NoFailAboveOrderOne);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { AllocFlags: not null } types ? types : null,
            FoliosEntryPoints.Api, static (block, types) =>
        {
            foreach (var invocation in block.Operations<IInvocationOperation>())
                Analyze(block, invocation, types);
        });
    }

    private static void Analyze(RuleBlock context, IInvocationOperation invocation, FoliosTypes types)
    {
        // Most calls take no AllocFlags: leave before reading options or folding anything.
        if (!types.TakesFlags(invocation.TargetMethod))
            return;
        var options = FoliosOptions.Read(context.Options, invocation.Syntax.SyntaxTree);
        if (!TryFindRequest(invocation, types, options, out int order) || order <= options.MaxNoFailOrder)
            return;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(OrderProperty, order.ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.NoFailAboveOrderOne, invocation.Syntax.GetLocation(), properties,
            order, (long)options.PageSize << order, options.MaxNoFailOrder));
    }

    /// <summary>A call with a foldable NoFail flags argument and a foldable order or size argument, for one folio.</summary>
    private static bool TryFindRequest(IInvocationOperation invocation, FoliosTypes types, FoliosOptions options, out int order)
    {
        var request = AllocationRequest.Read(invocation, types, options);
        order = request.Order ?? 0;
        // Only a single folio holds the whole size; the other policies are order-0 pages or strip NoFail.
        bool singleFolio = !request.HasPolicy || request.Policy == AllocationRequest.SingleFolioPolicy;
        return request.Flags is { } flags && (flags & NoFailFlag) != 0 && request.Order is not null && singleFolio;
    }
}
