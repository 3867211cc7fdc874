using System.Collections.Immutable;
using Folios.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO002 fixes for the recognisable shapes: the page access is rewritten to the ExtentBuffer helper at the
/// buffer-level offset, recovered from <c>GetFolio(FolioIndex(o))</c> + <c>OffsetInFolio(o)</c>,
/// <c>GetFolio(o / P)</c> + <c>o % P</c>, or <c>GetFolio(0)</c> + <c>o</c>. Anything else gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RawPageAccessFixer))]
public sealed class RawPageAccessFixer : CodeFixProvider
{
    private static readonly ImmutableHashSet<string> EndianHelpers = ImmutableHashSet.Create(
        Names.ExtentBuffer.ReadUInt16LittleEndian, Names.ExtentBuffer.ReadUInt32LittleEndian, Names.ExtentBuffer.ReadUInt64LittleEndian,
        Names.ExtentBuffer.WriteUInt16LittleEndian, Names.ExtentBuffer.WriteUInt32LittleEndian, Names.ExtentBuffer.WriteUInt64LittleEndian);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RawCrossPageAccess);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
        if (node is null || model is null)
            return;
        var (replaced, replacement) = Rewrite(node, model, context.CancellationToken);
        if (replaced is null || replacement is null)
            return;
        context.RegisterCodeFix(CodeAction.Create(
            $"Use ExtentBuffer.{((replacement as InvocationExpressionSyntax)?.Expression as MemberAccessExpressionSyntax)?.Name}",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root!.ReplaceNode(replaced, replacement.WithTriviaFrom(replaced)))),
            RuleIdentifiers.RawCrossPageAccess + ".Helper"), context.Diagnostics[0]);
    }

    private static (SyntaxNode? Replaced, ExpressionSyntax? Replacement) Rewrite(SyntaxNode node, SemanticModel model, CancellationToken cancellation)
    {
        switch (node)
        {
            case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } element
                when PageSpan(element.Expression) is { } page && BufferOffset(page, element.ArgumentList.Arguments[0].Expression, model, cancellation) is { } offset:
                if (element.Parent is AssignmentExpressionSyntax assignment && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Left == element)
                    return (assignment, Call(page.Buffer, Names.ExtentBuffer.WriteByte, offset, assignment.Right));
                if (element.Parent is AssignmentExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax || element.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 })
                    return (null, null);
                return (element, Call(page.Buffer, Names.ExtentBuffer.ReadByte, offset));

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: var name } } call when call.ArgumentList.Arguments.Count > 0
                && model.GetSymbolInfo(call, cancellation).Symbol is IMethodSymbol method:
                string type = method.ContainingType.Name;
                var args = call.ArgumentList.Arguments;
                if (type == Names.Decoders.BinaryPrimitivesTypeName && EndianHelpers.Contains(method.Name) && SlicedPage(args[0].Expression, model, cancellation) is { } sliced)
                {
                    return method.Name.StartsWith(Names.Decoders.ReadPrefix, StringComparison.Ordinal)
                        ? (call, Call(sliced.Buffer, method.Name, sliced.Offset))
                        : args.Count == 2 ? (call, Call(sliced.Buffer, method.Name, sliced.Offset, args[1].Expression)) : (null, null);
                }
                if (type == Names.Decoders.MemoryMarshalTypeName && method.Name == Names.Decoders.Read && name is GenericNameSyntax generic && SlicedPage(args[0].Expression, model, cancellation) is { } read)
                    return (call, Call(read.Buffer, generic.WithIdentifier(SyntaxFactory.Identifier(Names.ExtentBuffer.Read)), read.Offset));
                if (method.Name == Names.Span.CopyTo && args.Count == 1 && call.Expression is MemberAccessExpressionSyntax copy)
                    return CopyRewrite(call, copy.Expression, args[0].Expression, model, cancellation);
                return (null, null);

            default:
                return (null, null);
        }
    }

    /// <summary><c>page.Slice(o, n).CopyTo(dest)</c> becomes <c>Read(offset, dest[0..n])</c>; <c>src.CopyTo(page.Slice(o))</c> becomes <c>Write(offset, src)</c>.</summary>
    private static (SyntaxNode?, ExpressionSyntax?) CopyRewrite(InvocationExpressionSyntax call, ExpressionSyntax source, ExpressionSyntax destination, SemanticModel model, CancellationToken cancellation)
    {
        if (source is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 2 } slice && SlicedPage(source, model, cancellation) is { } from)
        {
            var destinationType = model.GetTypeInfo(destination, cancellation).Type;
            string slicer = destinationType is IArrayTypeSymbol ? Names.Span.AsSpan : destinationType?.Name == Names.Span.TypeName ? Names.Span.Slice : "";
            if (slicer.Length == 0)
                return (null, null);
            var prefix = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, destination.WithoutTrivia(), SyntaxFactory.IdentifierName(slicer)),
                Arguments(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0)), slice.ArgumentList.Arguments[1].Expression));
            return (call, Call(from.Buffer, Names.ExtentBuffer.Read, from.Offset, prefix));
        }
        if (SlicedPage(destination, model, cancellation) is { } to)
            return (call, Call(to.Buffer, Names.ExtentBuffer.Write, to.Offset, source));
        return (null, null);
    }

    /// <summary>A page span with its offset inside the folio: <c>page</c>, <c>page.Slice(o)</c> or <c>page.Slice(o, n)</c>.</summary>
    private static (ExpressionSyntax Buffer, ExpressionSyntax Offset)? SlicedPage(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellation)
    {
        if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: Names.Span.Slice, Expression: var spanExpression }, ArgumentList.Arguments.Count: > 0 } slice
            && PageSpan(spanExpression) is { } page && BufferOffset(page, slice.ArgumentList.Arguments[0].Expression, model, cancellation) is { } offset)
            return (page.Buffer, offset);
        if (PageSpan(expression) is { } whole && BufferOffset(whole, SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0)), model, cancellation) is { } zero)
            return (whole.Buffer, zero);
        return null;
    }

    /// <summary><c>buffer.GetFolio(index).Span</c>, where buffer is a plain name or member access (safe to repeat).</summary>
    private static (ExpressionSyntax Buffer, ExpressionSyntax Index)? PageSpan(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax
        {
            Name.Identifier.Text: Names.Folio.Span,
            Expression: InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: Names.ExtentBuffer.GetFolio, Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax or ThisExpressionSyntax } getFolio,
                ArgumentList.Arguments.Count: 1,
            } getFolioCall,
        }
            ? (getFolio.Expression, getFolioCall.ArgumentList.Arguments[0].Expression)
            : null;

    /// <summary>The buffer-level offset of <paramref name="inPage"/> in folio <c>page.Index</c>, when the shape gives it away.</summary>
    private static ExpressionSyntax? BufferOffset((ExpressionSyntax Buffer, ExpressionSyntax Index) page, ExpressionSyntax inPage, SemanticModel model, CancellationToken cancellation)
    {
        if (page.Index is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: Names.ExtentBuffer.FolioIndex } folioIndex, ArgumentList.Arguments.Count: 1 } indexCall
            && inPage is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: Names.ExtentBuffer.OffsetInFolio } inFolio, ArgumentList.Arguments.Count: 1 } offsetCall
            && SyntaxFactory.AreEquivalent(folioIndex.Expression, page.Buffer) && SyntaxFactory.AreEquivalent(inFolio.Expression, page.Buffer)
            && SyntaxFactory.AreEquivalent(indexCall.ArgumentList.Arguments[0].Expression, offsetCall.ArgumentList.Arguments[0].Expression))
            return indexCall.ArgumentList.Arguments[0].Expression.WithoutTrivia();
        if (page.Index is BinaryExpressionSyntax divide && divide.IsKind(SyntaxKind.DivideExpression)
            && inPage is BinaryExpressionSyntax modulo && modulo.IsKind(SyntaxKind.ModuloExpression)
            && SyntaxFactory.AreEquivalent(divide.Left, modulo.Left) && SyntaxFactory.AreEquivalent(divide.Right, modulo.Right))
            return divide.Left.WithoutTrivia();
        if (model.GetConstantValue(page.Index, cancellation) is { HasValue: true, Value: 0 })
            return inPage.WithoutTrivia();
        return null;
    }

    private static InvocationExpressionSyntax Call(ExpressionSyntax buffer, string method, params ExpressionSyntax[] arguments) =>
        Call(buffer, SyntaxFactory.IdentifierName(method), arguments);

    private static InvocationExpressionSyntax Call(ExpressionSyntax buffer, SimpleNameSyntax method, params ExpressionSyntax[] arguments) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, buffer.WithoutTrivia(), method),
            Arguments(arguments));

    private static ArgumentListSyntax Arguments(params ExpressionSyntax[] arguments) =>
        SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(a => SyntaxFactory.Argument(a.WithoutTrivia()))));
}
