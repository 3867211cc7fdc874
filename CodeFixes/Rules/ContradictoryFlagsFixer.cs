using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Folios.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO005 fixes: remove the flags that give up (keeping NoFail), or remove NoFail (keeping the way of giving up).
/// Either makes a call that threw ArgumentException on every run valid; which one was meant is the user's choice.
/// Flags chosen by a conditional or switch expression get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ContradictoryFlagsFixer))]
public sealed class ContradictoryFlagsFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ContradictoryFlags);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var diagnostic = context.Diagnostics[0];
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax flags
            || !diagnostic.Properties.TryGetValue(ContradictoryFlagsAnalyzer.ConflictsProperty, out var conflictList) || conflictList is null)
            return;
        // Flags chosen by a condition contradict on some paths only; removing a flag outside the condition would change
        // the paths where they agree, and which branch to change is the user's decision.
        if (flags.DescendantNodesAndSelf().Any(node => node is ConditionalExpressionSyntax or SwitchExpressionSyntax))
            return;
        var conflicts = conflictList.Split(',');

        Register(context, root, flags, conflicts, $"Remove {string.Join(" and ", conflicts)} (keep NoFail)", RuleIdentifiers.ContradictoryFlags + ".KeepNoFail");
        Register(context, root, flags, [Names.AllocFlags.NoFail], "Remove NoFail (keep " + string.Join(" and ", conflicts) + ")", RuleIdentifiers.ContradictoryFlags + ".RemoveNoFail");
    }

    private static void Register(CodeFixContext context, SyntaxNode root, ExpressionSyntax flags, IReadOnlyCollection<string> remove, string title, string key)
    {
        if (FlagsRewrite.Without(flags, remove) is not { } rewritten)
            return;
        context.RegisterCodeFix(CodeAction.Create(
            title,
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(flags, rewritten.WithTriviaFrom(flags)))),
            key), context.Diagnostics[0]);
    }
}
