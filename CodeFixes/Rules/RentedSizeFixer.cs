using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO013 fixes: the part of the rented buffer that was asked for (<c>a.AsSpan(0, n)</c>, <c>a.AsMemory(0, n)</c>,
/// <c>buffer.Slice(0, n)</c>, <c>new ReadOnlySpan&lt;T&gt;(a, 0, n)</c>, an (array, 0, n) overload, an
/// <c>ArraySegment&lt;T&gt;</c>), or <c>n</c> in place of the buffer's length. The analyzer offers rewrites only where
/// the size asked for is safe to write again there; the fix takes the first that compiles where it stands (an
/// overload may take no span, an async method no span local), and offers nothing when none does.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RentedSizeFixer))]
public sealed class RentedSizeFixer : CodeFixProvider
{
    public const string SizeKey = RuleIdentifiers.RentedSize + ".Size";

    private static readonly SyntaxAnnotation Rewritten = new(nameof(RentedSizeFixer));

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RentedSize);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(RentedSizeAnalyzer.RewritesProperty, out var rewrites) || rewrites is null
            || await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root
            || root.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax node
            || await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model)
            return;
        foreach (string rewrite in rewrites.Split('\n'))
        {
            if (Rewrite(root, node, rewrite, model) is not { } rewritten)
                continue;
            var document = context.Document.WithSyntaxRoot(rewritten);
            if (!await CompilesAsync(document, context.CancellationToken).ConfigureAwait(false))
                continue;
            context.RegisterCodeFix(CodeAction.Create($"Take only the size asked for: {Shown(node, rewrite)}", _ => Task.FromResult(document), SizeKey), diagnostic);
            return;
        }
    }

    /// <summary>The node replaced by the rewrite (an expression, or the node followed by more arguments), marked, with <c>using System;</c> added when the rewrite needs it.</summary>
    private static CompilationUnitSyntax? Rewrite(CompilationUnitSyntax root, ExpressionSyntax node, string rewrite, SemanticModel model)
    {
        string original = node.ToString();
        SyntaxNode? changed;
        if (rewrite.StartsWith(original + ",", StringComparison.Ordinal))
        {
            if (node.Parent is not ArgumentSyntax argument || argument.Parent is not ArgumentListSyntax list
                || SyntaxFactory.ParseArgumentList("(" + rewrite.Substring(original.Length + 1).Trim() + ")") is not { } more || more.ContainsDiagnostics)
                return null;
            int at = list.Arguments.IndexOf(argument);
            var arguments = list.Arguments.InsertRange(at + 1, more.Arguments.Select(a => a.WithAdditionalAnnotations(Rewritten)));
            changed = root.ReplaceNode(list, list.WithArguments(arguments));
        }
        else
        {
            var expression = SyntaxFactory.ParseExpression(rewrite);
            if (expression.ContainsDiagnostics)
                return null;
            changed = root.ReplaceNode(node, expression.WithTriviaFrom(node).WithAdditionalAnnotations(Rewritten));
        }
        if (changed is not CompilationUnitSyntax unit)
            return null;
        // AsSpan and AsMemory are MemoryExtensions' and ArraySegment is System's: both need the System namespace.
        if (!rewrite.Contains(".") || !model.LookupNamespacesAndTypes(node.SpanStart, name: Names.MemoryExtensions.TypeName).IsEmpty)
            return unit;
        var lineEnd = unit.Usings.Count > 0 ? unit.Usings[unit.Usings.Count - 1].GetTrailingTrivia() : SyntaxFactory.TriviaList(SyntaxFactory.ElasticCarriageReturnLineFeed);
        return unit.WithUsings(unit.Usings.Insert(0, SyntaxFactory.UsingDirective(SyntaxFactory.IdentifierName(Names.SystemNamespace)).WithTrailingTrivia(lineEnd)));
    }

    /// <summary>Whether the statement (or member) around the rewrite compiles without errors.</summary>
    private static async Task<bool> CompilesAsync(Document document, CancellationToken cancellation)
    {
        var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellation).ConfigureAwait(false);
        if (root?.GetAnnotatedNodes(Rewritten).FirstOrDefault() is not { } rewritten || model is null)
            return false;
        var scope = (SyntaxNode?)rewritten.FirstAncestorOrSelf<StatementSyntax>() ?? rewritten.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? rewritten;
        return !model.GetDiagnostics(scope.Span, cancellation).Any(d => d.Severity == DiagnosticSeverity.Error);
    }

    private static string Shown(ExpressionSyntax node, string rewrite) =>
        rewrite.StartsWith(node + ",", StringComparison.Ordinal) ? "(" + rewrite + ")" : rewrite;
}
