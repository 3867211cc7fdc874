using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO006: an Allocate (or a SingleFolio buffer) above the costly order 3, which has no fallback; and a
/// TryAllocate above order 1 whose failure is handled but which lacks NoRetry or NoWarn.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CostlyOrderAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The flags the fix adds, comma-separated.</summary>
    public const string MissingFlagsProperty = "MissingFlags";

    private const int CostlyOrder = 3;

    /// <summary>Up to this order a request is cheap (and NoFail holds); above it an attempt with a fallback is opportunistic.</summary>
    private const int CheapOrder = 1;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.CostlyOrderWithoutFallback, Descriptors.OpportunisticWithoutFlags);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { PageAllocator: not null } types
                && types.Flag(Names.AllocFlags.NoFail) is not null && types.Flag(Names.AllocFlags.NoRetry) is not null && types.Flag(Names.AllocFlags.NoWarn) is not null ? types : null,
            FoliosEntryPoints.Api, static (block, types) =>
            {
                foreach (var call in block.Operations<IInvocationOperation>())
                    Analyze(block, call, types);
            });
    }

    private static void Analyze(RuleBlock context, IInvocationOperation call, FoliosTypes types)
    {
        bool tryAllocate = call.TargetMethod.Name == Names.PageAllocator.TryAllocate && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.PageAllocator);
        bool allocate = call.TargetMethod.Name == Names.PageAllocator.Allocate && call.TargetMethod.ContainingType is { Name: Names.PageAllocator.TypeName or Names.ExtentBuffer.TypeName, ContainingNamespace.Name: Names.Runtime.Namespace };
        if (!tryAllocate && !allocate)
            return;
        var options = FoliosOptions.Read(context.Options, call.Syntax.SyntaxTree);
        var request = AllocationRequest.Read(call, types, options);
        // NoFail requests are FOLIO001's; unknown orders are not guessed at.
        long noFail = types.Flag(Names.AllocFlags.NoFail)!.Value;
        if (request.Order is not { } order || request.AlwaysHas(noFail))
            return;

        if (allocate && order > CostlyOrder && (!request.HasPolicy || request.Policy == AllocationRequest.SingleFolioPolicy))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.CostlyOrderWithoutFallback, call.Syntax.GetLocation(), order, (long)options.PageSize << order));
            return;
        }
        // Flags that carry NoFail on some path are not an opportunistic attempt there; adding NoRetry would contradict them.
        if (tryAllocate && order > CheapOrder && request.NeverHas(noFail) && ResultUse.IsTestedAsCondition(call))
        {
            var missing = new List<string>();
            if (request.SometimesLacks(types.Flag(Names.AllocFlags.NoRetry)!.Value))
                missing.Add(Names.AllocFlags.NoRetry);
            if (request.SometimesLacks(types.Flag(Names.AllocFlags.NoWarn)!.Value))
                missing.Add(Names.AllocFlags.NoWarn);
            if (missing.Count > 0)
                ReportMissingFlags(context, call, types.AllocFlags, order, missing);
        }
    }

    // Apart from Analyze, whose every call would otherwise allocate the lambda's closure.
    private static void ReportMissingFlags(RuleBlock context, IInvocationOperation call, INamedTypeSymbol? allocFlags, int order, List<string> missing)
    {
        var flagsArgument = call.Arguments.First(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.Type, allocFlags));
        var properties = ImmutableDictionary<string, string?>.Empty.Add(MissingFlagsProperty, string.Join(",", missing));
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.OpportunisticWithoutFlags, flagsArgument.Value.Syntax.GetLocation(), properties,
            order, string.Join(" and ", missing.Select(m => Names.AllocFlags.TypeName + "." + m))));
    }
}
