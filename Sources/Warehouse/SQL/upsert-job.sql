-- Stores one job of the export, replacing the row the job already has: every column comes from
-- the export, so a replaced row is the new row. One file for every dialect (REPLACE is both
-- SQLite's and MySQL's).
REPLACE INTO job (
    job_id, company_id, group_id, campaign_id, created_by, created_date, last_modified_by,
    last_modified_date, is_active, title, description, work_schedule, radius_unit, location_state,
    location_list, role_location, resume_option, budget, status, error, template_question_id,
    template_question_name, question_form_description, redirect_url, start_date, end_date,
    close_date, minor_id, history_status, ref_id, imported_at
) VALUES (
    :job_id, :company_id, :group_id, :campaign_id, :created_by, :created_date, :last_modified_by,
    :last_modified_date, :is_active, :title, :description, :work_schedule, :radius_unit,
    :location_state, :location_list, :role_location, :resume_option, :budget, :status, :error,
    :template_question_id, :template_question_name, :question_form_description, :redirect_url,
    :start_date, :end_date, :close_date, :minor_id, :history_status, :ref_id, :imported_at
)
