using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Pages;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO008 fixes: the allocator's geometry in place of the literal (PageSize, PageSize - 1, ~(PageSize - 1),
/// PageShift), from an allocator in scope or a buffer's Allocator; and, where a buffer's folio is picked and indexed
/// with a split offset, that buffer's own FolioIndex/OffsetInFolio, which are right for every layout.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PageGeometryFixer))]
public sealed class PageGeometryFixer : CodeFixProvider
{
    public const string GeometryKey = RuleIdentifiers.PageGeometry + ".Geometry";
    public const string BufferHelpersKey = RuleIdentifiers.PageGeometry + ".BufferHelpers";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PageGeometry);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var diagnostic = context.Diagnostics[0];
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax literal || model is null
            || !diagnostic.Properties.TryGetValue(PageGeometryAnalyzer.KindProperty, out var kind)
            || model.GetTypeInfo(literal, context.CancellationToken).Type?.SpecialType != SpecialType.System_Int32)
            return;

        if (BufferHelper(literal, kind) is { } helper)
        {
            context.RegisterCodeFix(CodeAction.Create(
                $"Use {helper.Replacement}",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(helper.Arithmetic, helper.Replacement.WithTriviaFrom(helper.Arithmetic)))),
                BufferHelpersKey), diagnostic);
        }
        if (GeometrySource(model, literal) is { } source && Geometry(source, kind) is { } geometry)
        {
            // A named mask already in parentheses, (PageSize - 1), keeps its own.
            if (literal.Parent is ParenthesizedExpressionSyntax && geometry is ParenthesizedExpressionSyntax inner)
                geometry = inner.Expression;
            context.RegisterCodeFix(CodeAction.Create(
                $"Use {geometry}",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, geometry.WithTriviaFrom(literal)))),
                GeometryKey), diagnostic);
        }
    }

    private static ExpressionSyntax? Geometry(string source, string? kind) => kind switch
    {
        nameof(PageGeometry.Kind.Size) => SyntaxFactory.ParseExpression($"{source}.PageSize"),
        nameof(PageGeometry.Kind.OffsetMask) => SyntaxFactory.ParseExpression($"({source}.PageSize - 1)"),
        nameof(PageGeometry.Kind.PageMask) => SyntaxFactory.ParseExpression($"~({source}.PageSize - 1)"),
        nameof(PageGeometry.Kind.Shift) => SyntaxFactory.ParseExpression($"{source}.PageShift"),
        _ => null,
    };

    /// <summary>A PageAllocator in scope, else an ExtentBuffer's Allocator; null when neither can be reached.</summary>
    private static string? GeometrySource(SemanticModel model, ExpressionSyntax at)
    {
        var inStatic = model.GetEnclosingSymbol(at.SpanStart) is { IsStatic: true };
        string? buffer = null;
        foreach (var symbol in model.LookupSymbols(at.SpanStart))
        {
            if (inStatic && symbol.Kind is SymbolKind.Field or SymbolKind.Property && !symbol.IsStatic)
                continue;
            var type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };
            if (type is { Name: Names.PageAllocator.TypeName, ContainingNamespace.Name: Names.Runtime.Namespace })
                return symbol.Name;
            if (type is { Name: Names.ExtentBuffer.TypeName, ContainingNamespace.Name: Names.Runtime.Namespace })
                buffer ??= symbol.Name + ".Allocator";
        }
        return buffer;
    }

    /// <summary>
    /// <c>b.GetFolio(o / 4096)</c> or <c>b.GetFolio(o &gt;&gt; 12)</c> becomes <c>b.GetFolio(b.FolioIndex(o))</c>, and the
    /// index <c>[o % 4096]</c> / <c>[o &amp; 4095]</c> into <c>b.GetFolio(..).Span</c> becomes <c>[b.OffsetInFolio(o)]</c>.
    /// </summary>
    private static (ExpressionSyntax Arithmetic, ExpressionSyntax Replacement)? BufferHelper(ExpressionSyntax literal, string? kind)
    {
        if (literal.Parent is not BinaryExpressionSyntax arithmetic || arithmetic.Right != literal || arithmetic.Left is not IdentifierNameSyntax offset)
            return null;
        var op = arithmetic.Kind();
        bool folioIndex = (kind == nameof(PageGeometry.Kind.Size) && op == SyntaxKind.DivideExpression) || (kind == nameof(PageGeometry.Kind.Shift) && op == SyntaxKind.RightShiftExpression);
        bool offsetInFolio = (kind == nameof(PageGeometry.Kind.Size) && op == SyntaxKind.ModuloExpression) || (kind == nameof(PageGeometry.Kind.OffsetMask) && op == SyntaxKind.BitwiseAndExpression);
        if (arithmetic.Parent is not ArgumentSyntax { Parent: { } list } || list.Parent is not { } owner)
            return null;
        if (folioIndex && owner is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: Names.ExtentBuffer.GetFolio, Expression: IdentifierNameSyntax buffer } })
            return (arithmetic, SyntaxFactory.ParseExpression($"{buffer.Identifier.Text}.FolioIndex({offset.Identifier.Text})"));
        if (offsetInFolio && owner is ElementAccessExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax
                {
                    Name.Identifier.Text: Names.Folio.Span,
                    Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: Names.ExtentBuffer.GetFolio, Expression: IdentifierNameSyntax spanBuffer } },
                },
            })
            return (arithmetic, SyntaxFactory.ParseExpression($"{spanBuffer.Identifier.Text}.OffsetInFolio({offset.Identifier.Text})"));
        return null;
    }
}
