using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Pools;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO013: an array (or a MemoryPool's memory) rented with <c>Rent(n)</c> taken as exactly n elements: read to
/// its end, its <c>Length</c> used as the count of a read or the bound of a loop that reads it, or filled to its
/// end from a stream. Needs nothing of Folios.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RentedSizeAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property with the fix's rewrites of the reported node, best first, one a line.</summary>
    public const string RewritesProperty = "Rewrites";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.RentedReadToEnd, Descriptors.RentedLengthUsed, Descriptors.RentedFilledToEnd);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Framework.ArrayPool is not null || facts.Framework.MemoryPool is not null ? facts.Framework : null,
            PoolKinds.Rentals, static (block, types) =>
            {
                HashSet<IOperation>? reported = null;
                foreach (var call in block.Operations<IInvocationOperation>())
                {
                    if (Rental.TryCreate(call, types) is { } rental)
                        Analyze(block, rental, types, reported ??= new(OperationIdentity.Instance));
                }
            });
    }

    private static void Analyze(RuleBlock context, Rental rental, FrameworkTypes types, HashSet<IOperation> reported)
    {
        // The framework's pools serve a constant power of two of 16 or more exactly; projects that rent from pools
        // of their own that round further set folios.pool_exact_powers_of_two = false.
        if (rental.IsExactPowerOfTwo && FoliosOptions.Read(context.Options, rental.Call.Syntax.SyntaxTree).PoolExactPowersOfTwo)
            return;
        var flow = RentedFlow.Follow(rental, types);
        foreach (var use in OversizedUses.Find(flow, types))
        {
            if (!reported.Add(use.Node))
                continue;
            var rewrites = RequestedSize.Rewrites(rental, use);
            var properties = rewrites.Count == 0
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(RewritesProperty, string.Join("\n", rewrites));
            var descriptor = use.Kind switch
            {
                OversizeKind.WholeRead => Descriptors.RentedReadToEnd,
                OversizeKind.ExactFill => Descriptors.RentedFilledToEnd,
                _ => Descriptors.RentedLengthUsed,
            };
            context.ReportDiagnostic(Diagnostic.Create(descriptor, use.Node.Syntax.GetLocation(), properties,
                use.Node.Syntax.ToString(), rental.Call.Syntax.ToString(), Advice(use, rewrites)));
        }
    }

    private static string Advice(OversizedUse use, List<string> rewrites)
    {
        if (rewrites.Count > 0)
            return $"Use '{Shown(use.Node, rewrites[0])}'.";
        return use.FilledWithCount
            ? "Take only as much as the call that wrote into it said it wrote."
            : "Take only the size asked for, or as much as was written into it.";
    }

    /// <summary>The rewrite as a reader sees it: a rewrite that adds arguments is shown in its call.</summary>
    private static string Shown(IOperation node, string rewrite)
    {
        string original = node.Syntax.ToString();
        if (!rewrite.StartsWith(original + ",", StringComparison.Ordinal) || OperationShape.Outermost(node).Parent?.Parent is not { } call)
            return rewrite;
        string text = call.Syntax.ToString();
        int at = node.Syntax.SpanStart - call.Syntax.SpanStart;
        return text.Substring(0, at) + rewrite + text.Substring(at + original.Length);
    }
}
