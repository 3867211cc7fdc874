using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO007 fix: <c>a.TryAllocate(o, f, out var x);</c> (result ignored) and <c>if (!a.TryAllocate(o, NoFail, out var x)) { ... }</c>
/// (a check that cannot fail, no else) both become <c>var x = a.Allocate(o, f);</c>: a failure now throws and says
/// why instead of leaving a default folio behind, and a dead failure branch goes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UncheckedAllocationFixer))]
public sealed class UncheckedAllocationFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UncheckedAllocation);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
            || call.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.PageAllocator.TryAllocate } access
            || call.ArgumentList.Arguments is not { Count: 3 } arguments
            || arguments.Any(a => a.NameColon is not null)
            || !arguments[2].RefKindKeyword.IsKind(SyntaxKind.OutKeyword)
            || Replaced(call) is not { } statement
            || !SyntaxChecks.IsInStatementList(statement))
            return;

        string allocate = $"{access.Expression.WithoutTrivia()}.Allocate({arguments[0].Expression.WithoutTrivia()}, {arguments[1].Expression.WithoutTrivia()})";
        string text = arguments[2].Expression switch
        {
            DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax variable } declaration => $"{declaration.Type.WithoutTrivia()} {variable.Identifier.ValueText} = {allocate};",
            DeclarationExpressionSyntax or IdentifierNameSyntax { Identifier.ValueText: "_" } => $"{allocate};",
            var target => $"{target.WithoutTrivia()} = {allocate};",
        };
        var replacement = SyntaxFactory.ParseStatement(text)
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        context.RegisterCodeFix(CodeAction.Create(
            "Call Allocate (it throws on failure and says why)",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(statement, replacement))),
            RuleIdentifiers.UncheckedAllocation + ".Allocate"), context.Diagnostics[0]);
    }

    /// <summary>
    /// The statement the call becomes: the call's own statement (<c>a.TryAllocate(...);</c> or <c>_ = ...;</c>), or
    /// an <c>if (!a.TryAllocate(...))</c> (or <c>is false</c>, <c>== false</c>) with no else, whose branch cannot run.
    /// </summary>
    private static StatementSyntax? Replaced(InvocationExpressionSyntax call) => call.Parent switch
    {
        ExpressionStatementSyntax statement => statement,
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax statement } => statement,
        PrefixUnaryExpressionSyntax { Parent: IfStatementSyntax { Else: null } check } not when not.IsKind(SyntaxKind.LogicalNotExpression) && check.Condition == not => check,
        IsPatternExpressionSyntax { Pattern: ConstantPatternSyntax { Expression: var constant }, Parent: IfStatementSyntax { Else: null } check } test
            when constant.IsKind(SyntaxKind.FalseLiteralExpression) && check.Condition == test => check,
        BinaryExpressionSyntax { Right: var constant, Parent: IfStatementSyntax { Else: null } check } equals
            when equals.IsKind(SyntaxKind.EqualsExpression) && constant.IsKind(SyntaxKind.FalseLiteralExpression) && check.Condition == equals => check,
        _ => null,
    };
}
