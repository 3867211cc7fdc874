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
/// FOLIO016 fix for a write or an Advance past the hint: the <c>GetSpan</c>/<c>GetMemory</c> call asks for what is
/// written (<c>GetSpan()</c> becomes <c>GetSpan(4)</c>, a too-small constant hint is raised). The analyzer reports a
/// size only when every write and advance it counted is a constant, so the new hint is a literal that costs nothing to
/// evaluate. A span used after Advance gets no fix: where the code meant to write is a judgment.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WriterSpanPastHintFixer))]
public sealed class WriterSpanPastHintFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.WriterSpanPastHint);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(WriterSpanPastHintAnalyzer.SizeProperty, out string? text)
            || !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size) || size <= 0)
            return;
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || AskingCall(root, model, diagnostic, context.CancellationToken) is not { } call)
            return;
        var hint = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(size));
        var arguments = call.ArgumentList.Arguments.Count == 0
            ? call.ArgumentList.WithArguments(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(hint)))
            : call.ArgumentList.ReplaceNode(call.ArgumentList.Arguments[0].Expression, hint.WithTriviaFrom(call.ArgumentList.Arguments[0].Expression));
        string name = ((MemberAccessExpressionSyntax)call.Expression).Name.Identifier.ValueText;
        context.RegisterCodeFix(CodeAction.Create(
            $"Ask for {size} ({name}({size}))",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(call.ArgumentList, arguments))),
            RuleIdentifiers.WriterSpanPastHint + ".AskForTheSize"), diagnostic);
    }

    /// <summary>The <c>GetSpan</c>/<c>GetMemory</c> call the analyzer found, when its hint is absent or a constant.</summary>
    private static InvocationExpressionSyntax? AskingCall(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellation)
    {
        if (!diagnostic.Properties.TryGetValue(WriterSpanPastHintAnalyzer.AskedAtProperty, out string? text)
            || !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int at)
            || at >= root.FullSpan.End
            || root.FindToken(at).Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(call => call.SpanStart == at && IsAsking(call)) is not { } asking
            || asking.ArgumentList.Arguments.Count > 1)
            return null;
        if (asking.ArgumentList.Arguments.Count == 1 && !model.GetConstantValue(asking.ArgumentList.Arguments[0].Expression, cancellation).HasValue)
            return null;
        return asking;
    }

    private static bool IsAsking(InvocationExpressionSyntax call) =>
        call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.BufferWriter.GetSpan or Names.BufferWriter.GetMemory };
}
