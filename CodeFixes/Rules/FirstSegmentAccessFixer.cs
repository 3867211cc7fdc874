using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Values;
using Folios.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO010 fixes, for reads written directly on <c>seq.FirstSpan</c> or <c>seq.First.Span</c>:
/// a decode keeps the first segment as its fast path and falls back to the sequence
/// (<c>seq.FirstSpan.Length &gt;= 4 ? seq.FirstSpan : seq.Slice(0, 4).ToArray()</c>); a bounded copy or ToArray goes
/// through the sequence (<c>seq.Slice(o, n).CopyTo(d)</c>), and so does a whole-message copy (<c>seq.CopyTo(d)</c>).
/// Both read the same bytes as before whenever the first segment held them, and the right ones when it did not.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FirstSegmentAccessFixer))]
public sealed class FirstSegmentAccessFixer : CodeFixProvider
{
    public const string DecodeKey = RuleIdentifiers.FirstSegmentAccess + ".Decode";
    public const string CopyKey = RuleIdentifiers.FirstSegmentAccess + ".Copy";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.FirstSegmentAccess);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || root.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax read
            || read.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: var method } call)
            return;

        if (call.Expression is IdentifierNameSyntax { Identifier.ValueText: Names.Decoders.BinaryPrimitivesTypeName } && DecodeWithFallback(read, method) is { } decoded)
            Register(context, root, read, decoded, "Fall back to the sequence when the first segment is short", DecodeKey, model);
        else if (method is Names.Span.CopyTo or Names.Span.ToArray && CopyThroughSequence(read, call) is { } copied)
            Register(context, root, read, copied, "Copy through the sequence", CopyKey, model);
    }

    private static void Register(CodeFixContext context, SyntaxNode root, SyntaxNode original, SyntaxNode rewritten, string title, string key, SemanticModel model)
    {
        context.RegisterCodeFix(CodeAction.Create(title, _ =>
        {
            var newRoot = root.ReplaceNode(original, rewritten.WithTriviaFrom(original));
            // ToArray and CopyTo of a sequence are extension methods of System.Buffers.BuffersExtensions.
            if (newRoot is CompilationUnitSyntax unit && !ImportsSystemBuffers(model, original.SpanStart))
            {
                // The new line ends like the file's last using does, so the file keeps its line endings.
                var lineEnd = unit.Usings.Count > 0 ? unit.Usings[unit.Usings.Count - 1].GetTrailingTrivia() : SyntaxFactory.TriviaList(SyntaxFactory.ElasticMarker);
                newRoot = unit.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(Names.ReadOnlySequence.BuffersNamespace)).WithTrailingTrivia(lineEnd));
            }
            return Task.FromResult(context.Document.WithSyntaxRoot(newRoot));
        }, key), context.Diagnostics[0]);
    }

    /// <summary>
    /// <c>BinaryPrimitives.ReadInt32LittleEndian(seq.FirstSpan[.Slice(o)])</c> becomes
    /// <c>...(seq.FirstSpan.Length &gt;= o + 4 ? seq.FirstSpan.Slice(o) : seq.Slice(o, 4).ToArray())</c>.
    /// </summary>
    private static InvocationExpressionSyntax? DecodeWithFallback(InvocationExpressionSyntax read, string method)
    {
        if (!method.StartsWith(Names.Decoders.ReadPrefix, StringComparison.Ordinal) || !method.EndsWith(Names.Decoders.EndianSuffix, StringComparison.Ordinal)
            || ValueSizes.FromName(method) is not { } size || read.ArgumentList.Arguments.Count != 1)
            return null;
        var argument = read.ArgumentList.Arguments[0].Expression;
        ExpressionSyntax? offset = null;
        var view = argument;
        if (argument is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.Span.Slice } slice, ArgumentList.Arguments.Count: 1 } sliced)
        {
            offset = sliced.ArgumentList.Arguments[0].Expression;
            view = slice.Expression;
            if (!SyntaxChecks.IsSafeToRepeat(offset))
                return null;
        }
        if (SequenceOf(view) is not { } sequence)
            return null;

        var count = Literal(size);
        var need = offset is null ? count : (ExpressionSyntax)SyntaxFactory.BinaryExpression(SyntaxKind.AddExpression, Parenthesize(offset), count);
        var hasBytes = SyntaxFactory.BinaryExpression(SyntaxKind.GreaterThanOrEqualExpression,
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, view.WithoutTrivia(), SyntaxFactory.IdentifierName(Names.Span.Length)), need);
        var fallback = SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
            Call(sequence, Names.ReadOnlySequence.Slice, offset?.WithoutTrivia() ?? Literal(0), count), SyntaxFactory.IdentifierName(Names.Span.ToArray)));
        var choice = SyntaxFactory.ConditionalExpression(hasBytes, argument.WithoutTrivia(), fallback);
        return read.WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(choice))));
    }

    /// <summary>
    /// <c>seq.FirstSpan.Slice(o, n).CopyTo(d)</c> / <c>.ToArray()</c> become <c>seq.Slice(o, n).CopyTo(d)</c> /
    /// <c>.ToArray()</c>; <c>seq.FirstSpan.CopyTo(d)</c> (a destination sized for the sequence) becomes <c>seq.CopyTo(d)</c>.
    /// </summary>
    private static InvocationExpressionSyntax? CopyThroughSequence(InvocationExpressionSyntax read, MemberAccessExpressionSyntax call)
    {
        ExpressionSyntax source;
        if (call.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.Span.Slice } slice, ArgumentList.Arguments.Count: 2 } sliced
            && SequenceOf(slice.Expression) is { } sequence)
            source = Call(sequence, Names.ReadOnlySequence.Slice, sliced.ArgumentList.Arguments[0].Expression.WithoutTrivia(), sliced.ArgumentList.Arguments[1].Expression.WithoutTrivia());
        else if (call.Name.Identifier.ValueText == Names.Span.CopyTo && SequenceOf(call.Expression) is { } whole)
            source = whole;
        else
            return null;
        return read.WithExpression(call.WithExpression(source));
    }

    /// <summary>The sequence of <c>seq.FirstSpan</c> or <c>seq.First.Span</c>, when it can be written again safely.</summary>
    private static ExpressionSyntax? SequenceOf(ExpressionSyntax view)
    {
        var sequence = view switch
        {
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.ReadOnlySequence.FirstSpan } first => first.Expression,
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.Memory.Span, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.ReadOnlySequence.First } first } => first.Expression,
            _ => null,
        };
        return sequence is not null && SyntaxChecks.IsSafeToRepeat(sequence) ? sequence.WithoutTrivia() : null;
    }

    private static bool ImportsSystemBuffers(SemanticModel model, int position) =>
        !model.LookupNamespacesAndTypes(position, name: Names.ReadOnlySequence.BuffersExtensions).IsEmpty;

    private static InvocationExpressionSyntax Call(ExpressionSyntax target, string name, params ExpressionSyntax[] arguments) =>
        SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, target, SyntaxFactory.IdentifierName(name)),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(SyntaxFactory.Argument))));

    private static LiteralExpressionSyntax Literal(int value) => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));

    private static ExpressionSyntax Parenthesize(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax ? expression.WithoutTrivia() : SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia());
}
