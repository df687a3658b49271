_bedrock_profile_completion() {
    local IFS=$'
'
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" \
                   COMP_CWORD=$COMP_CWORD \
                   _BEDROCK_PROFILE_COMPLETE=complete_bash $1 ) )
    return 0
}

complete -o default -F _bedrock_profile_completion bedrock-profile
