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

    /// <summary>For flags left to their default: the parameter the fix names when it adds them.</summary>
    public const string FlagsParameterProperty = "FlagsParameter";

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
                && types.Flag(Names.AllocFlags.NoFail) is not null && types.Flag(Names.AllocFlags.NoRetry) is not null && types.Flag(Names.AllocFlags.NoWarn) is not null
                ? new Rule(types, types.Runtime.GetTypeByMetadataName(Names.PageAllocationException.FullName))
                : null,
            FoliosEntryPoints.Api, static (block, rule) =>
            {
                foreach (var call in block.Operations<IInvocationOperation>())
                    Analyze(block, call, rule);
            });
    }

    /// <summary>The rule's state for one compilation: the runtime's types and the exception Allocate throws.</summary>
    private sealed class Rule(FoliosTypes types, INamedTypeSymbol? allocationFailure)
    {
        public FoliosTypes Types { get; } = types;
        public INamedTypeSymbol? AllocationFailure { get; } = allocationFailure;
    }

    private static void Analyze(RuleBlock context, IInvocationOperation call, Rule rule)
    {
        var types = rule.Types;
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

        bool singleFolio = !request.HasPolicy || request.Policy == AllocationRequest.SingleFolioPolicy;
        // A catch of the allocation failure that does not rethrow is the fallback of an Allocate, as a test of the
        // result is TryAllocate's.
        bool hasFallback = tryAllocate ? ResultUse.IsTestedAsCondition(call) : singleFolio && ResultUse.FailureIsCaught(call, rule.AllocationFailure);
        if (allocate && order > CostlyOrder && singleFolio && !hasFallback)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.CostlyOrderWithoutFallback, call.Syntax.GetLocation(), order, (long)options.PageSize << order));
            return;
        }
        // Flags that carry NoFail on some path are not an opportunistic attempt there; adding NoRetry would contradict them.
        if (hasFallback && order > CheapOrder && request.NeverHas(noFail))
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
        // Flags left to their default are added as a named argument, at the call.
        bool defaulted = flagsArgument.ArgumentKind == ArgumentKind.DefaultValue;
        if (defaulted)
            properties = properties.Add(FlagsParameterProperty, flagsArgument.Parameter!.Name);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.OpportunisticWithoutFlags, (defaulted ? call : flagsArgument.Value).Syntax.GetLocation(), properties,
            order, string.Join(" and ", missing.Select(m => Names.AllocFlags.TypeName + "." + m))));
    }
}
