"""政策文档助手: answers, drafts and commitment checks over a library of 公文."""
