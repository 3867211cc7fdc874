using System.Collections.Immutable;
using Folios.Analyzers.Analysis;
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

    private static readonly string[] GivingUpFlags = [FoliosNames.NoWait, FoliosNames.NoRetry, FoliosNames.RetryMayFail];

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ContradictoryFlags);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = FoliosTypes.TryCreate(start.Compilation);
            if (types?.AllocFlags is not { } allocFlags || ConstantValues.EnumMemberValue(allocFlags, FoliosNames.NoFail) is not { } noFail)
                return;
            var givingUp = GivingUpFlags.Select(name => (Name: name, Value: ConstantValues.EnumMemberValue(allocFlags, name))).Where(f => f.Value is not null).ToImmutableArray();
            var relevance = Relevance.Of(start.Compilation, types);
            RuleBlock.Register(start, relevance.Mentions, block =>
            {
                foreach (var operation in block.Operations<IOperation>())
                {
                    if (operation is IInvocationOperation or IObjectCreationOperation)
                        AnalyzeCall(block, operation, allocFlags, noFail, givingUp);
                }
            });
        });
    }

    /// <summary>One callback per call rather than per argument: most calls take no AllocFlags at all.</summary>
    private static void AnalyzeCall(RuleBlock context, IOperation operation, INamedTypeSymbol allocFlags, long noFail, ImmutableArray<(string Name, long? Value)> givingUp)
    {
        var (method, arguments) = operation switch
        {
            IInvocationOperation call => (call.TargetMethod, call.Arguments),
            IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (method is null || !method.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, allocFlags)))
            return;
        foreach (var argument in arguments)
            Analyze(context, argument, allocFlags, noFail, givingUp);
    }

    private static void Analyze(RuleBlock context, IArgumentOperation argument, INamedTypeSymbol allocFlags, long noFail, ImmutableArray<(string Name, long? Value)> givingUp)
    {
        if (argument.ArgumentKind != ArgumentKind.Explicit || !SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, allocFlags)
            || PossibleFlags(context, argument.Value) is not { } possible)
            return;
        // Reported when some path brings NoFail together with a flag that gives up.
        var conflicts = givingUp.Where(f => possible.Any(flags => (flags & noFail) != 0 && (flags & f.Value!.Value) != 0)).Select(f => f.Name).ToList();
        if (conflicts.Count == 0)
            return;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(ConflictsProperty, string.Join(",", conflicts));
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.ContradictoryFlags, argument.Value.Syntax.GetLocation(), properties,
            argument.Value.Syntax.ToString(), string.Join(" and ", conflicts)));
    }

    /// <summary>The folded flags; for a local written more than once, every value that reaches the call.</summary>
    private static ICollection<long>? PossibleFlags(RuleBlock context, IOperation value)
    {
        if (ConstantValues.TryGetInt64(value, out long flags))
            return [flags];
        return ConstantValues.Unwrap(value) is ILocalReferenceOperation local && context.Graph is { } graph ? FlagFlow.ValuesAt(graph, local, context.CancellationToken) : null;
    }
}
