using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>FOLIO005: an AllocFlags argument that folds to NoFail together with NoWait, NoRetry or RetryMayFail.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContradictoryFlagsAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property that carries the names of the flags that contradict NoFail to the code fix, comma-separated.</summary>
    public const string ConflictsProperty = "Conflicts";

    private static readonly string[] GivingUpFlags = [Names.AllocFlags.NoWait, Names.AllocFlags.NoRetry, Names.AllocFlags.RetryMayFail];

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ContradictoryFlags);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { AllocFlags: not null } types && types.Flag(Names.AllocFlags.NoFail) is not null ? types : null,
            FoliosEntryPoints.Api, static (block, types) =>
            {
                foreach (var operation in block.Operations<IOperation>())
                {
                    if (operation is IInvocationOperation or IObjectCreationOperation)
                        AnalyzeCall(block, operation, types);
                }
            });
    }

    /// <summary>One callback per call rather than per argument: most calls take no AllocFlags at all.</summary>
    private static void AnalyzeCall(RuleBlock context, IOperation operation, FoliosTypes types)
    {
        var (method, arguments) = operation switch
        {
            IInvocationOperation call => (call.TargetMethod, call.Arguments),
            IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (method is null || !types.TakesFlags(method))
            return;
        foreach (var argument in arguments)
            Analyze(context, argument, types);
    }

    private static void Analyze(RuleBlock context, IArgumentOperation argument, FoliosTypes types)
    {
        if (argument.ArgumentKind != ArgumentKind.Explicit || !SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, types.AllocFlags))
            return;
        // Reported when some path brings NoFail together with a flag that gives up.
        long noFail = types.Flag(Names.AllocFlags.NoFail)!.Value;
        if (PossibleFlags(context, argument.Value, types, noFail) is not { } possible)
            return;
        var conflicts = new List<string>();
        foreach (string name in GivingUpFlags)
        {
            if (types.Flag(name) is not { } givingUp)
                continue;
            foreach (long flags in possible)
            {
                if ((flags & noFail) != 0 && (flags & givingUp) != 0)
                {
                    conflicts.Add(name);
                    break;
                }
            }
        }
        if (conflicts.Count == 0)
            return;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(ConflictsProperty, string.Join(",", conflicts));
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.ContradictoryFlags, argument.Value.Syntax.GetLocation(), properties,
            argument.Value.Syntax.ToString(), string.Join(" and ", conflicts)));
    }

    /// <summary>
    /// The folded flags, or every value the argument may have: a local written more than once brings every value that
    /// reaches the call, and a conditional or switch expression in the argument every value of each branch
    /// (<c>NoFail | (quick ? NoRetry : None)</c>), as it would through a local.
    /// </summary>
    private static ICollection<long>? PossibleFlags(RuleBlock context, IOperation value, FoliosTypes types, long noFail)
    {
        if (ConstantValues.TryGetInt64(value, out long flags))
            return [flags];
        if (OperationShape.Unwrap(value) is not ILocalReferenceOperation local)
            return FlagFlow.ValuesOf(value, leaf => leaf is ILocalReferenceOperation nested && context.Graph is { } graph ? FlagFlow.ValuesAt(graph, nested, context.CancellationToken) : null);
        long anyGivingUp = 0;
        foreach (string name in GivingUpFlags)
            anyGivingUp |= types.Flag(name) ?? 0;
        // A local whose writes never bring NoFail, or never a flag that gives up, cannot contradict: no graph for it.
        if (FlagFlow.BitsEverHeld(OperationTrees.Of(context.Root), local.Local) is { } bits && ((bits & noFail) == 0 || (bits & anyGivingUp) == 0))
            return [];
        return context.Graph is { } graph ? FlagFlow.ValuesAt(graph, local, context.CancellationToken) : null;
    }
}
